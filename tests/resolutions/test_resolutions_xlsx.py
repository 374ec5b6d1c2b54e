"""The resolutions export: one streamed sheet, a row per resolution given, real dates, safe text."""

import datetime
import io
import tempfile
import zipfile

import openpyxl
import pytest
from django.conf import settings

from kernel.xlsx.writer import LINE_HEIGHT, wrapped_lines
from meetings.models import Meeting
from resolutions.exporters import xlsx as exporter
from resolutions.exporters.xlsx import resolutions_xlsx
from resolutions.models import Resolution
from tests.helpers import make_meeting, make_organization, make_resolution

pytestmark = pytest.mark.django_db

HEADER = [
    "Дата заседания",
    "Заседание",
    "Тема",
    "Раздел",
    "№",
    "Вид",
    "Текст",
    "Ответственные организации",
    "Ответственное лицо",
    "Срок исполнения",
    "Статус исполнения",
    "Просрочено",
    "Страница на портале",
]
INJECTIONS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)", "\tTAB", "\rCR"]


def export(queryset, **kwargs) -> openpyxl.Workbook:
    data = resolutions_xlsx(queryset, **kwargs)
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def body(ws) -> list[tuple]:
    return list(ws.iter_rows(min_row=2))


def test_the_demo_export_reopens_with_a_row_per_resolution_in_the_given_order(demo):
    queryset = Resolution.objects.filter(meeting=demo).order_by("-section", "number")
    wb = export(queryset)
    assert wb.sheetnames == ["Пункты протоколов"]
    ws = wb.active
    assert [c.value for c in ws[1]] == HEADER
    rows = [[c.value for c in row] for row in body(ws)]
    assert [(r[3], r[4]) for r in rows] == [
        ("Решения по итогам мероприятия", 1),
        ("Решения по итогам мероприятия", 2),
        ("Решения по итогам мероприятия", 3),
        ("Постановили", 1),
        ("Постановили", 2),
        ("Постановили", 3),
    ]
    assert [r[6] for r in rows] == [r.text for r in queryset]
    first = rows[0]
    assert first[1] == "Ежегодное заседание Клуба деловых встреч методистов Кузбасса"
    assert first[2] == "Практика методической работы"
    assert first[5] == "решение к исполнению"
    assert first[10] == "принято"
    # An absolute address on the configured site: the file is read away from the portal.
    assert first[12] == f"{settings.SITE_URL}/meetings/2021-06-23/"


def test_meeting_and_due_dates_are_real_dates(demo):
    decision = demo.resolutions.get(section=Resolution.Section.DECISIONS, number=2)
    decision.due_date = datetime.date(2021, 12, 1)
    decision.save()
    ws = export(Resolution.objects.filter(pk=decision.pk)).active
    row = body(ws)[0]
    meeting_date, due = row[0], row[9]
    assert meeting_date.is_date and meeting_date.value == datetime.datetime(2021, 6, 23)
    assert due.is_date and due.value == datetime.datetime(2021, 12, 1)
    assert meeting_date.number_format == due.number_format == "DD.MM.YYYY"


def test_responsible_organisations_person_and_overdue(demo):
    open_late = make_resolution(
        demo,
        section=Resolution.Section.DECISIONS,
        due_date=datetime.date(2022, 1, 10),
        responsible_person="Андреева Е.А.",
    )
    open_late.responsible_organizations.add(
        make_organization("ЦБС Юрги"), make_organization("ЦБС Белово")
    )
    done_late = make_resolution(
        demo,
        section=Resolution.Section.DECISIONS,
        due_date=datetime.date(2022, 1, 10),
        status=Resolution.Status.DONE,
    )
    open_in_time = make_resolution(
        demo, section=Resolution.Section.DECISIONS, due_date=datetime.date(2022, 3, 1)
    )
    queryset = Resolution.objects.filter(pk__in=[open_late.pk, done_late.pk, open_in_time.pk])
    ws = export(queryset.order_by("number"), today=datetime.date(2022, 2, 1)).active
    rows = [[c.value for c in row] for row in body(ws)]
    assert [r[11] for r in rows] == ["да", "нет", "нет"]
    assert rows[0][7] == "ЦБС Белово; ЦБС Юрги"
    assert rows[0][8] == "Андреева Е.А."
    assert rows[1][10] == "выполнено"


def test_header_is_frozen_filtered_and_printed_on_a4(demo):
    wb = export(Resolution.objects.filter(meeting=demo))
    ws = wb.active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:M7"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.orientation == "landscape"
    # Two pages wide at a readable scale (one page printed the 13 columns at 43 %), each
    # starting with the meeting's date, read across before down; as many down as needed.
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 2
    assert ws.page_setup.pageOrder == "overThenDown"
    assert ws.print_title_cols == "$A:$A"
    assert ws.page_setup.fitToHeight == 0
    assert ws.HeaderFooter.oddFooter.center.text == "&P / &N"
    # XlsxWriter stores the width Excel shows (70 characters) plus the cell's padding.
    assert 70 <= ws.column_dimensions["G"].width < 71
    assert ws["G2"].alignment.wrap_text
    assert wb.properties.title == "Пункты протоколов заседаний Клуба"
    assert wb.properties.creator == settings.CLUB_NAME
    assert wb.properties.lastModifiedBy == settings.CLUB_NAME
    assert wb.properties.language == "ru-RU"


def test_formula_like_texts_come_back_as_identical_text():
    meeting = make_meeting(title="=1+2", topic="@topic")
    for text in INJECTIONS:
        make_resolution(meeting, text=text, responsible_person=text)
    ws = export(Resolution.objects.filter(meeting=meeting).order_by("number")).active
    rows = body(ws)
    assert [r[6].value for r in rows] == INJECTIONS
    assert [r[8].value for r in rows] == INJECTIONS
    for row in rows:
        for cell in (row[1], row[2], row[6], row[8]):
            assert cell.data_type == "s" and cell.quotePrefix, repr(cell.value)
    assert (rows[0][1].value, rows[0][2].value) == ("=1+2", "@topic")


def test_control_characters_are_removed_and_overlong_text_is_cut():
    meeting = make_meeting()
    make_resolution(meeting, number=1, text="Конт\x01роль\x08ные\x0b сим\x1fволы")
    make_resolution(meeting, number=2, text="ж" * 40_000)
    ws = export(Resolution.objects.filter(meeting=meeting).order_by("number")).active
    rows = body(ws)
    assert rows[0][6].value == "Контрольные символы"
    assert len(rows[1][6].value) == 32_767 and rows[1][6].value.endswith("…")


def test_a_plain_list_of_resolutions_is_accepted_too(demo):
    items = list(demo.resolutions.order_by("section", "number"))
    data = resolutions_xlsx(items)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.max_row == 7


def test_an_empty_export_is_a_header_only(db):
    ws = export(Resolution.objects.none()).active
    assert [c.value for c in ws[1]] == HEADER
    assert ws.max_row == 1
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:M1"


def make_many(meetings: int, *, each: int) -> None:
    """Meetings with numbered items, every other one a decision of an organisation."""
    organization = make_organization("ЦБС архива")
    created = Meeting.objects.bulk_create(
        Meeting(slug=f"m-{i}", title="Заседание", date=datetime.date(2000 + i, 5, 1))
        for i in range(meetings)
    )
    Resolution.objects.bulk_create(
        Resolution(
            meeting=meeting,
            number=n,
            kind=Resolution.Kind.DECISION if n % 2 else Resolution.Kind.NOTE,
            text=f"Пункт {n}",
        )
        for meeting in created
        for n in range(1, each + 1)
    )
    for decision in Resolution.objects.filter(kind=Resolution.Kind.DECISION):
        decision.responsible_organizations.add(organization)


@pytest.mark.parametrize(("meetings", "each"), [(1, 3), (3, 10), (12, 10)])
def test_queries_do_not_grow_with_the_rows(meetings, each, django_assert_num_queries):
    make_many(meetings, each=each)
    queryset = Resolution.objects.order_by("meeting__date", "pk")
    # One query for the rows and one for their organisations, per chunk of 2,000.
    with django_assert_num_queries(2):
        data = resolutions_xlsx(queryset)
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == meetings * each
    decisions = [r for r in rows if r[5] == "решение к исполнению"]
    assert decisions and all(r[7].startswith("ЦБС архива") for r in decisions)


def test_rows_and_organisations_line_up_across_chunks(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(exporter, "EXPORT_CHUNK_SIZE", 2)
    meeting = make_meeting()
    items = [make_resolution(meeting, n, text=f"Пункт {n}") for n in range(1, 6)]
    for item in items[1::2]:
        item.responsible_organizations.add(make_organization(f"ЦБС {item.number}"))
    queryset = Resolution.objects.filter(meeting=meeting).order_by("-number")
    # The rows in one query, read two at a time; one organisations query per chunk of two.
    with django_assert_num_queries(1 + 3):
        data = resolutions_xlsx(queryset)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [(r[4].value, r[6].value, r[7].value) for r in body(ws)]
    assert rows == [
        (5, "Пункт 5", None),
        (4, "Пункт 4", "ЦБС 4"),
        (3, "Пункт 3", None),
        (2, "Пункт 2", "ЦБС 2"),
        (1, "Пункт 1", None),
    ]


def test_the_view_exports_the_filtered_rows_once_each_in_the_list_order(client):
    organization = make_organization("ЦБС Юрги")
    older = make_meeting(date=datetime.date(2020, 3, 4))
    newer = make_meeting(date=datetime.date(2023, 9, 1))
    other = make_organization("ЦБС Белово")
    for meeting in (older, newer):
        for number in (2, 1):
            item = make_resolution(meeting, number, text=f"{meeting.date.year}: {number}")
            # Two organisations: the filter's join would repeat the row without distinct().
            item.responsible_organizations.add(organization, other)
        make_resolution(meeting, 3, text="не этой организации")
    response = client.get("/resolutions/export.xlsx", {"organization": organization.pk})
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [(r[6].value, r[7].value) for r in body(ws)]
    both = "ЦБС Белово; ЦБС Юрги"
    assert rows == [("2023: 1", both), ("2023: 2", both), ("2020: 1", both), ("2020: 2", both)]


def test_a_long_text_makes_its_row_tall_enough_and_every_cell_sits_at_the_top():
    meeting = make_meeting(title="Заседание")
    long_text = " ".join(["Обеспечить методическое сопровождение библиотек округа"] * 12)
    make_resolution(meeting, 1, text=long_text, due_date=datetime.date(2022, 12, 1))
    make_resolution(meeting, 2, text="Короткий пункт")
    ws = export(Resolution.objects.filter(meeting=meeting).order_by("number")).active
    lines = wrapped_lines(long_text, 70)
    assert lines >= 8
    assert ws.row_dimensions[2].height == lines * LINE_HEIGHT
    assert ws.row_dimensions[3].height is None  # one line: Excel's own height
    text, section, due = ws["G2"], ws["D2"], ws["J2"]
    assert text.alignment.wrap_text and text.alignment.vertical == "top"
    assert not section.alignment.wrap_text and section.alignment.vertical == "top"
    assert due.alignment.vertical == "top" and due.number_format == "DD.MM.YYYY"
    # The header: bold on the house fill, a rule below, tall enough for its wrapped titles.
    header = ws["A1"]
    assert header.font.b and header.fill.fgColor.rgb.endswith("DCE6F1")
    assert header.border.bottom.style == "thin" and header.alignment.wrap_text
    assert ws.row_dimensions[1].height >= 2 * LINE_HEIGHT


def test_error_like_and_ordinary_texts_stay_text_without_a_quote_prefix():
    meeting = make_meeting()
    texts = ["#N/A", "1 000", "12", "Обычный текст"]
    for number, text in enumerate(texts, start=1):
        make_resolution(meeting, number, text=text)
    ws = export(Resolution.objects.filter(meeting=meeting).order_by("number")).active
    cells = [row[6] for row in body(ws)]
    assert [(c.value, c.data_type) for c in cells] == [(t, "s") for t in texts]
    assert not any(c.quotePrefix for c in cells)


def test_text_shaped_like_xlsxwriter_markup_stays_one_text_cell():
    # XlsxWriter would write a text from "<r>" to "</r>" into the sheet's XML unescaped,
    # taking it for a rich string of its own: this one would add a formula cell.
    smuggled = (
        '<r><t>a</t></r></is></c><c r="Z2"><f>HYPERLINK("http://evil","x")</f></c>'
        '<c r="Y2" t="inlineStr"><is><r><t>b</t></r>'
    )
    meeting = make_meeting(topic="<r><t>тема</t></r>")
    make_resolution(meeting, text=smuggled, responsible_person="=<r></r>")
    data = resolutions_xlsx(Resolution.objects.filter(meeting=meeting))
    assert "<f>" not in sheet_xml(data)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.max_column == 13
    row = body(ws)[0]
    assert (row[2].value, row[6].value, row[8].value) == (
        "<r><t>тема</t></r>",
        smuggled,
        "=<r></r>",
    )
    assert row[8].quotePrefix and row[6].data_type == "s"


def test_a_carriage_return_inside_a_text_survives():
    meeting = make_meeting(title="Заседание\rвыездное")
    make_resolution(meeting, text="первая\rвторая\r\nтретья\r")
    data = resolutions_xlsx(Resolution.objects.filter(meeting=meeting))
    # Written as a character reference, which every XML reader reads as a CR: XlsxWriter's
    # own _x000D_ is read back so by Excel only.
    assert "_x000D_" not in sheet_xml(data)
    row = body(openpyxl.load_workbook(io.BytesIO(data)).active)[0]
    assert row[1].value == "Заседание\rвыездное"
    assert row[6].value == "первая\rвторая\nтретья\r"


def test_an_export_that_fails_half_way_leaves_no_temporary_file(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where XlsxWriter keeps the rows
    monkeypatch.setattr(exporter, "EXPORT_CHUNK_SIZE", 2)
    meeting = make_meeting()
    for number in range(1, 6):
        make_resolution(meeting, number)
    queryset = Resolution.objects.filter(meeting=meeting)
    resolutions_xlsx(queryset)
    assert list(tmp_path.iterdir()) == []

    lookup = exporter.responsible_organizations
    seen = []

    def fail_on_the_second_chunk(ids):
        if seen:
            assert list(tmp_path.iterdir()), "the rows so far are in a temporary file"
            raise RuntimeError("the database went away")
        seen.append(ids)
        return lookup(ids)

    monkeypatch.setattr(exporter, "responsible_organizations", fail_on_the_second_chunk)
    with pytest.raises(RuntimeError, match="went away"):
        resolutions_xlsx(queryset)
    assert list(tmp_path.iterdir()) == []
