"""The minutes as an Excel workbook: every sentence, real dates, the admitted, nothing private."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.conf import settings

from meetings.models import Attendance
from meetings.selectors import meeting_queryset
from minutes.exporters.xlsx import minutes_xlsx
from minutes.selectors import minutes_for
from resolutions.models import Resolution
from tests.helpers import (
    admit,
    make_agenda_item,
    make_meeting,
    make_member,
    make_organization,
    make_resolution,
    normalize,
    seed_sentences,
)

pytestmark = pytest.mark.django_db

SHEETS = ["Протокол", "Пункты протокола", "Повестка", "Присутствовали", "Приняты в Клуб"]
ITEMS = "Пункты протокола"
INJECTIONS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)", "\tTAB", "\rCR"]


def export(meeting) -> bytes:
    return minutes_xlsx(minutes_for(meeting_queryset().get(pk=meeting.pk)))


def reopen(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield cell


def workbook_text(wb) -> str:
    return " ".join(str(c.value) for c in all_cells(wb))


def table(ws, header_first: str) -> tuple[list[str], list[list]]:
    """The header and the rows of the table whose header starts with the given title."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == header_first)
    header = [h for h in rows[start] if h is not None]
    return header, [list(r[: len(header)]) for r in rows[start + 1 :]]


def test_the_demo_workbook_has_five_russian_sheets(demo):
    wb = reopen(export(demo))
    assert wb.sheetnames == SHEETS


def test_every_sentence_of_the_seed_is_in_some_cell(demo):
    text = normalize(workbook_text(reopen(export(demo))))
    missing = [s for s in seed_sentences() if normalize(s) not in text]
    assert missing == []


def test_heading_names_the_club_meeting_topic_and_real_date(demo):
    ws = reopen(export(demo))["Протокол"]
    column_a = [ws.cell(row=r, column=1).value for r in range(1, 6)]
    assert column_a[:4] == [
        "Клуб деловых встреч методистов Кузбасса",
        "Ежегодное заседание Клуба деловых встреч методистов Кузбасса",
        "Тема: «Практика методической работы»",
        "23 июня 2021 г.",
    ]
    details = {
        row[0].value: row[1]
        for row in ws.iter_rows(min_row=6, max_row=15, max_col=2)
        if row[0].value
    }
    date = details["Дата"]
    assert date.is_date and date.value == datetime.datetime(2021, 6, 23)
    assert date.number_format == "DD.MM.YYYY"
    assert details["Номер протокола"].value == 1  # a number, as it was typed
    assert details["Вид"].value == "ежегодное заседание"
    assert details["Формат"].value == "онлайн"
    assert details["Принимающая организация"].value == (
        "Государственная научная библиотека Кузбасса им. В.Д.Федорова"
    )


def test_resolutions_table_lists_every_item_in_order_with_its_section(demo):
    header, rows = table(reopen(export(demo))[ITEMS], "Раздел")
    assert header == [
        "Раздел",
        "№",
        "Вид",
        "Текст",
        "Ответственные организации",
        "Ответственное лицо",
        "Срок исполнения",
        "Статус исполнения",
    ]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("Постановили", 1, "благодарность"),
        ("Постановили", 2, "отметить"),
        ("Постановили", 3, "приём в Клуб"),
        ("Решения по итогам мероприятия", 1, "решение к исполнению"),
        ("Решения по итогам мероприятия", 2, "решение к исполнению"),
        ("Решения по итогам мероприятия", 3, "решение к исполнению"),
    ]
    assert rows[3][3].startswith("Обеспечить регламентацию учетной политики в ЦБС")


def test_a_decision_shows_responsible_organisations_person_and_a_real_due_date(demo):
    decision = demo.resolutions.get(section=Resolution.Section.DECISIONS, number=1)
    decision.responsible_person = "Иванова М.П."
    decision.due_date = datetime.date(2021, 12, 31)
    decision.status = Resolution.Status.IN_PROGRESS
    decision.save()
    decision.responsible_organizations.add(make_organization("ЦБС Юрги"))
    decision.responsible_organizations.add(make_organization("МИБС г. Кемерово-2"))

    ws = reopen(export(demo))[ITEMS]
    row = next(r for r in ws.iter_rows() if r[3].value == decision.text)
    assert row[4].value == "МИБС г. Кемерово-2; ЦБС Юрги"
    assert row[5].value == "Иванова М.П."
    assert row[6].is_date and row[6].value == datetime.datetime(2021, 12, 31)
    assert row[6].number_format == "DD.MM.YYYY"
    assert row[7].value == "выполняется"


def test_the_four_admitted_members_with_organisation_and_municipality(demo):
    header, rows = table(reopen(export(demo))["Приняты в Клуб"], "ФИО")
    assert header == ["ФИО", "Организация", "Муниципальное образование", "Пункт протокола"]
    assert rows == [
        ["Девятых Ирина Анатольевна", "МИБС г. Новокузнецка", "Новокузнецкий городской округ", 3],
        ["Кентнер Наталья Евгеньевна", "Полысаевская ЦБС", "Полысаевский городской округ", 3],
        [
            "Андреева Елена Александровна",
            "ЦБС Киселевского городского округа",
            "Киселевский городской округ",
            3,
        ],
        ["Исаенкова Анна Владимировна", "МИБС г. Кемерово", "Кемеровский городской округ", 3],
    ]


def test_agenda_sheet_lists_the_questions(demo):
    header, rows = table(reopen(export(demo))["Повестка"], "№ п/п")
    assert header == ["№ п/п", "Вопрос", "Докладчики", "Краткое содержание"]
    assert [(r[0], r[1]) for r in rows] == [
        (1, "Опыт внестационарной работы"),
        (2, "Проведение внутренних профессиональных конкурсов"),
        (3, "Организация статистического учета в ЦБС"),
    ]


def test_tables_have_frozen_headers_filters_and_print_titles(demo):
    Attendance.objects.create(meeting=demo, member=make_member(), role=Attendance.Role.CHAIR)
    wb = reopen(export(demo))
    for name in SHEETS[1:]:
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref.startswith("A1:"), name
        assert ws.print_title_rows == "$1:$1", name
    assert wb[ITEMS].auto_filter.ref == "A1:H7"
    # The heading is a page of text, not a table: nothing to freeze or filter.
    assert wb["Протокол"].freeze_panes is None and not wb["Протокол"].auto_filter.ref


def test_a_sheet_with_nothing_recorded_says_so_in_words():
    meeting = make_meeting()
    wb = reopen(export(meeting))
    assert wb.sheetnames == SHEETS
    for name, text in (
        (ITEMS, "В протоколе пока нет пунктов."),
        ("Повестка", "Повестка этого заседания не внесена."),
        ("Присутствовали", "Список присутствовавших на этом заседании не внесён."),
        ("Приняты в Клуб", "На этом заседании в Клуб никого не приняли."),
    ):
        assert [list(r) for r in wb[name].iter_rows(values_only=True)] == [[text]], name


def test_columns_fit_and_text_wraps(demo):
    ws = reopen(export(demo))[ITEMS]
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFGH"}
    assert all(10 <= w <= 80 for w in widths.values()), widths
    assert widths["D"] == 80  # the resolutions' text: capped, and wrapped
    text_cell = next(r[3] for r in ws.iter_rows() if r[1].value == 1 and r[0].value)
    assert text_cell.alignment.wrap_text


def test_print_setup_is_a4_one_page_wide(demo):
    wb = reopen(export(demo))
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb[ITEMS].page_setup.orientation == "landscape"
    assert wb["Протокол"].page_setup.orientation == "portrait"
    assert wb["Присутствовали"].page_setup.orientation == "portrait"


def test_workbook_title_and_author(demo):
    wb = reopen(export(demo))
    assert wb.properties.title == (
        "Протокол № 1 от 23 июня 2021 г.: "
        "Ежегодное заседание Клуба деловых встреч методистов Кузбасса"
    )
    assert wb.properties.creator == settings.CLUB_NAME


def test_no_member_email_or_phone_appears_anywhere(demo):
    organization = make_organization("ЦБС Тайги")
    member = make_member(
        "Секретова", organization=organization, email="secret@example.ru", phone="+7 903 111-22-33"
    )
    Attendance.objects.create(meeting=demo, member=member, role=Attendance.Role.SPEAKER)
    admitted = make_member("Новенькая", email="new@example.ru", phone="8-384-222-33-44")
    admission = demo.resolutions.get(kind=Resolution.Kind.ADMISSION)
    admit(admission, admitted)

    data = export(demo)
    wb = reopen(data)
    text = workbook_text(wb)
    assert "Секретова Мария Петровна" in text and "Новенькая Мария Петровна" in text
    for private in ("secret@example.ru", "+7 903 111-22-33", "new@example.ru", "8-384-222-33-44"):
        assert private not in text
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                assert private.encode() not in archive.read(name), name
    _, present = table(wb["Присутствовали"], "ФИО")
    assert present == [["Секретова Мария Петровна", "ЦБС Тайги", "докладчик"]]


def test_formula_like_texts_are_written_as_text():
    meeting = make_meeting(topic="=1+1", preamble="@preamble")
    make_agenda_item(meeting, 1, title="+1+1")
    Attendance.objects.create(meeting=meeting, guest_name="-2")
    for text in INJECTIONS:
        make_resolution(meeting, text=text, responsible_person="=A1")

    wb = reopen(export(meeting))
    cells = {c.value: c for c in all_cells(wb)}
    for text in [*INJECTIONS, "Тема: «=1+1»", "@preamble", "+1+1", "-2", "=A1"]:
        assert text in cells, repr(text)
        assert cells[text].data_type == "s", repr(text)
    assert cells["=A1"].quotePrefix


def test_control_characters_and_overlong_text_do_not_break_the_export():
    meeting = make_meeting(preamble="Начало\x01\x08\x0b\x1fконец")
    make_resolution(meeting, text="ж" * 40_000)
    wb = reopen(export(meeting))
    texts = [c.value for c in all_cells(wb) if isinstance(c.value, str)]
    assert "Началоконец" in texts
    assert any(len(t) == 32_767 and t.endswith("…") for t in texts)


def test_the_writer_makes_no_queries_of_its_own(demo, django_assert_num_queries):
    Attendance.objects.create(meeting=demo, member=make_member(), role=Attendance.Role.CHAIR)
    minutes = minutes_for(meeting_queryset().get(pk=demo.pk))
    with django_assert_num_queries(0):
        minutes_xlsx(minutes)
