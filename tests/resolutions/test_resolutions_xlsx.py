"""The resolutions export: one streamed sheet, a row per resolution given, real dates, safe text."""

import datetime
import io

import openpyxl
import pytest
from django.conf import settings

from meetings.models import Meeting
from resolutions.exporters.xlsx import resolution_export_queryset, resolutions_xlsx
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
    data = resolutions_xlsx(resolution_export_queryset(queryset), **kwargs)
    return openpyxl.load_workbook(io.BytesIO(data))


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
    assert first[12] == "/meetings/2021-06-23/"


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
    assert ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions["G"].width == 70
    assert ws["G2"].alignment.wrap_text
    assert wb.properties.title == "Пункты протоколов заседаний Клуба"
    assert wb.properties.creator == settings.CLUB_NAME


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
    items = list(resolution_export_queryset(demo.resolutions.order_by("section", "number")))
    data = resolutions_xlsx(items)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.max_row == 7


def test_an_empty_export_is_a_header_only(db):
    ws = export(Resolution.objects.none()).active
    assert [c.value for c in ws[1]] == HEADER
    assert ws.max_row == 1


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


@pytest.mark.parametrize("meetings", [2, 12])
def test_queries_do_not_grow_with_the_rows(meetings, django_assert_num_queries):
    make_many(meetings, each=10)
    queryset = resolution_export_queryset(Resolution.objects.order_by("meeting__date", "pk"))
    # One query for the rows and one for their organisations, per chunk of 2,000.
    with django_assert_num_queries(2):
        data = resolutions_xlsx(queryset)
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == meetings * 10
    decisions = [r for r in rows if r[5] == "решение к исполнению"]
    assert decisions and all(r[7].startswith("ЦБС архива") for r in decisions)
