"""The club's year, /annual/<year>/ and its PDF, Word file and workbook: what the 2021 report
of the demo states (the summer's figures those of /stats/?year=2021), as the page shows it,
as poppler reads the PDF and LibreOffice the .docx and .xlsx; the years the data does not
reach; drafts kept out; the overdue decisions named; the query count at two sizes."""

import datetime
import io
import re
from html import unescape

import openpyxl
import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation

from chronicle.annual import annual_report
from demo.club import ADMITTED, demo_load
from demo.statistics import demo_statistics_load
from kernel.downloads import DOCX, PDF, XLSX
from meetings.models import Meeting
from members.models import Member
from resolutions.models import Resolution
from tests.clients import poppler
from tests.clients.fixtures import response_bytes
from tests.helpers import (
    admit,
    make_meeting,
    make_member,
    make_municipality,
    make_organization,
    make_resolution,
    pinned_clock,
)

pytestmark = pytest.mark.django_db

YEAR = 2021
# What the demo's 2021 says, in the report's Russian sentences.
STATED = (
    "В 2021 году Клуб провёл 1 заседание.",
    "В Клуб приняты 4 новых участника.",
    "В протоколах года 6 пунктов.",
    "Из них 3 решения к исполнению.",
)


def page_text(response) -> str:
    return poppler.fold(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def summer_cells(headline) -> list[tuple[str, str, str, str]]:
    """Each headline measure as the pages write it (spaces folded): label, value, the year
    before, growth."""
    with translation.override("ru"):
        return [
            tuple(
                poppler.fold(str(cell))
                for cell in (
                    measure.label,
                    intcomma(change.value),
                    intcomma(change.previous),
                    change.growth_text,
                )
            )
            for measure, change in headline
        ]


def collect(client) -> dict:
    demo_load()
    demo_statistics_load()
    with pinned_clock(2026, 12, 3):
        files = {
            suffix: client.get(f"/annual/{YEAR}.{suffix}") for suffix in ("pdf", "docx", "xlsx")
        }
        stats = client.get(f"/stats/?year={YEAR}")
        page = client.get(f"/annual/{YEAR}/")
    return {
        "types": {suffix: response["Content-Type"] for suffix, response in files.items()},
        "files": {suffix: response_bytes(response) for suffix, response in files.items()},
        "stats_headline": summer_cells(stats.context["data"].headline),
        "stats_text": page_text(stats),
        "annual_headline": summer_cells(page.context["report"].summer.headline),
        "page": page_text(page),
    }


@pytest.fixture(scope="module")
def rendered(render_once) -> dict:
    return render_once(collect)


@pytest.fixture(scope="module")
def read_back(rendered, libreoffice) -> dict:
    files = rendered["files"]
    (document,) = libreoffice.read_documents([files["docx"]])
    (workbook,) = libreoffice.read_workbooks([files["xlsx"]])
    return {
        "pdf": poppler.reading_text(files["pdf"]),
        "docx": poppler.fold(document.text),
        "document": document,
        "xlsx": workbook,
    }


# What the 2021 report states


def test_the_2021_page_states_one_meeting_four_admissions_three_decisions(rendered):
    text = rendered["page"]
    for sentence in STATED:
        assert sentence in text
    assert "23 июня 2021 г." in text and "Практика методической работы" in text
    for last, first, patronymic, _organization in ADMITTED:
        assert f"{last} {first} {patronymic}" in text
    for municipality in ("Новокузнецкий городской округ", "Полысаевский городской округ"):
        assert municipality in text
    # Four of the catalogue's 34 municipalities have a member at the end of 2021.
    assert "ещё не было членов в 30 муниципальных образованиях из 34" in text
    assert "Анжеро-Судженский городской округ" in text


def test_the_summer_figures_are_those_of_the_statistics_dashboard(rendered):
    assert rendered["annual_headline"] == rendered["stats_headline"]
    assert len(rendered["stats_headline"]) == 6
    for label, value, previous, growth in rendered["stats_headline"]:
        # As the dashboard prints them, the page and the files print them.
        assert value in rendered["stats_text"]
        assert f"{label} {value} {previous} {growth}" in rendered["page"]
    outdoor = rendered["stats_headline"][0]
    assert outdoor[0] == "Мероприятия под открытым небом" and outdoor[3].startswith("+")


@pytest.mark.parametrize("form", ["pdf", "docx"])
def test_the_pdf_and_the_word_file_state_the_same(rendered, read_back, form):
    text = read_back[form]
    for sentence in STATED:
        assert sentence in text, form
    for last, first, patronymic, _organization in ADMITTED:
        assert f"{last} {first} {patronymic}" in text
    for label, value, previous, growth in rendered["stats_headline"]:
        # A long label wraps in its cell, and a reader may take the figures between its lines.
        assert f"{value} {previous} {growth}" in text, (form, label)
        assert label.split()[0] in text, (form, label)
    assert "Анжеро-Судженский городской округ" in text


def test_the_files_are_what_they_say(rendered):
    assert rendered["types"] == {"pdf": PDF, "docx": DOCX, "xlsx": XLSX}
    info = poppler.pdfinfo(rendered["files"]["pdf"])
    assert info.tagged and info.pdfa == ("2", "A")
    assert info.title == "Клуб в 2021 году: итоги года"


def test_the_word_file_is_editable_text_with_headings(read_back):
    headings = [text for _level, text in read_back["document"].headings]
    assert "Клуб в 2021 году: итоги года" in headings
    assert "Заседания" in headings and "Муниципальные образования без членов Клуба" in headings


def test_the_workbook_holds_numbers_as_numbers_under_frozen_printed_headers(rendered, read_back):
    book = read_back["xlsx"]
    assert book.sheet_names == [
        "Год",
        "Заседания",
        "Приняты",
        "Пункты",
        "Решения",
        "Просроченные",
        "Лето",
        "Муниципальные образования",
    ]
    year = book["Год"]
    rows = {row[0]: row[1] for row in year.rows if len(row) > 1 and row[0]}
    assert rows["Проведено заседаний"] == "1"
    assert rows["Принято в Клуб"] == "4"
    assert rows["Из них решений к исполнению"] == "3"
    summer = book["Лето"]
    (header,) = summer.header_rows
    cells = {row[0]: row[1:] for row in summer.rows[header:]}
    for label, value, previous, growth in rendered["stats_headline"]:
        # Calc shows a number in the General format without grouping: 2132.
        assert cells[label] == [value.replace(" ", ""), previous.replace(" ", ""), growth], label
    wb = openpyxl.load_workbook(io.BytesIO(rendered["files"]["xlsx"]))
    ws = wb["Лето"]
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.print_title_rows == f"${header}:${header}"
    first = ws.cell(row=header + 1, column=2).value
    assert isinstance(first, int)
    meetings = wb["Заседания"]
    first_row = int(meetings.freeze_panes.removeprefix("A"))
    assert meetings.cell(row=first_row, column=1).value == datetime.datetime(2021, 6, 23)


# The years and what is public


def test_a_year_the_data_does_not_reach_answers_404_with_a_plain_sentence(client, demo):
    response = client.get("/annual/1995/")
    assert response.status_code == 404
    text = page_text(response)
    assert "нет ни опубликованных протоколов, ни принятых летних показателей 1995 года" in text
    assert "2021" in text
    for address in ("/annual/1995.pdf", "/annual/1995.docx", "/annual/1995.xlsx"):
        assert client.get(address).status_code == 404
    # Outside the portal's years (kernel.validators), nothing is read at all.
    for address in ("/annual/1989/", "/annual/99999999999999999999/", "/annual/2101.pdf"):
        assert client.get(address).status_code == 404


def test_nothing_of_a_draft_is_in_the_year(client, secretary_client, demo):
    draft = make_meeting(datetime.date(2021, 11, 10), status=Meeting.Status.DRAFT)
    item = make_resolution(draft, 1, kind=Resolution.Kind.ADMISSION)
    admit(item, make_member("Черновикова"))
    make_resolution(draft, 2, text="Черновое решение.")
    lone = make_meeting(datetime.date(2023, 3, 1), status=Meeting.Status.DRAFT)
    make_resolution(lone, 1)
    text = page_text(client.get("/annual/2021/"))
    assert "В 2021 году Клуб провёл 1 заседание." in text
    assert "Черновикова" not in text and "Черновое решение" not in text
    assert "В протоколах года 6 пунктов." in text
    # A year of drafts alone has no report, for the public nor for staff.
    assert client.get("/annual/2023/").status_code == 404
    assert secretary_client.get("/annual/2023/").status_code == 404
    assert secretary_client.get("/annual/2023.docx").status_code == 404


def test_the_index_lists_every_year_with_minutes_or_figures(client, demo):
    demo_statistics_load()
    text = page_text(client.get("/annual/"))
    for year in range(2019, 2026):
        assert f"Клуб в {year} году" in text
    assert "Клуб в 2021 году 1 заседание · летние показатели" in text


def test_the_home_page_and_the_archive_link_to_the_years(client, demo):
    for address in ("/", "/meetings/"):
        assert 'href="/annual/"' in client.get(address).content.decode()


# Decisions, overdue ones named; members at the end of the year


def test_overdue_decisions_are_named_and_counted_by_status(client):
    meeting = make_meeting(datetime.date(2022, 4, 14), topic="О ходе выполнения решений")
    late = make_resolution(
        meeting,
        1,
        text="Провести областной конкурс внестационарных форм.",
        due_date=datetime.date(2022, 12, 1),
        responsible_person="Андреева Е.А.",
    )
    late.responsible_organizations.add(make_organization("ЦБС Юрги"))
    make_resolution(
        meeting,
        2,
        text="Сдать отчёты.",
        due_date=datetime.date(2022, 6, 1),
        status=Resolution.Status.DONE,
    )
    make_resolution(meeting, 3, text="Ещё не срок.", due_date=datetime.date(2023, 6, 1))
    make_resolution(meeting, 4, kind=Resolution.Kind.GRATITUDE, text="Благодарность.")
    with pinned_clock(2023, 1, 10):
        text = page_text(client.get("/annual/2022/"))
        report = annual_report(2022)
    assert [r.pk for r in report.overdue] == [late.pk]
    assert "На 10 января 2023 г. из них просрочено 1." in text
    assert "Провести областной конкурс внестационарных форм." in text
    assert "ЦБС Юрги, Андреева Е.А." in text
    assert "Сдать отчёты" not in text and "Ещё не срок" not in text
    statuses = dict(zip(Resolution.Status.values, (t.count for t in report.statuses), strict=True))
    assert statuses == {"adopted": 2, "in_progress": 0, "done": 1, "cancelled": 0}
    assert report.decisions_count == 3 and report.resolutions_count == 4


def test_a_municipality_counts_as_covered_by_members_of_the_club_at_the_years_end(client):
    meeting = make_meeting(datetime.date(2022, 5, 18))
    admitted_in = make_municipality("Округ с новым членом")
    admit(
        make_resolution(meeting, 1, kind=Resolution.Kind.ADMISSION),
        make_member(organization=make_organization(municipality=admitted_in)),
    )
    later = make_municipality("Округ, принятый позже")
    admit(
        make_resolution(
            make_meeting(datetime.date(2023, 5, 18)), 1, kind=Resolution.Kind.ADMISSION
        ),
        make_member(organization=make_organization(municipality=later)),
    )
    left = make_municipality("Округ, где член Клуба вышел")
    make_member(
        organization=make_organization(municipality=left),
        is_founder=True,
        status=Member.Status.LEFT,
        left_on=datetime.date(2022, 3, 1),
    )
    founders = make_municipality("Округ основателей")
    make_member(organization=make_organization(municipality=founders), is_founder=True)
    with pinned_clock(2024, 2, 1):
        report = annual_report(2022)
    assert set(report.uncovered) == {"Округ, принятый позже", "Округ, где член Клуба вышел"}
    assert report.municipalities_total == 4


# Query counts at two sizes


def year_of(meetings: int) -> None:
    municipality = make_municipality()
    for day in range(1, meetings + 1):
        meeting = make_meeting(datetime.date(2022, 3, day))
        admit(
            make_resolution(meeting, 1, kind=Resolution.Kind.ADMISSION),
            make_member(organization=make_organization(municipality=municipality)),
        )
        late = make_resolution(meeting, 2, due_date=datetime.date(2022, 9, 1))
        late.responsible_organizations.add(make_organization())


@pytest.mark.parametrize("meetings", [1, 12])
def test_the_year_page_costs_the_same_queries_at_any_size(
    client, django_assert_num_queries, meetings
):
    year_of(meetings)
    # The content version, then the meetings, admissions, tallies, overdue decisions with
    # their organisations, the summer's figures and the municipalities.
    with pinned_clock(2023, 1, 10), django_assert_num_queries(8):
        response = client.get("/annual/2022/")
    assert response.status_code == 200
    assert len(response.context["report"].overdue) == meetings


@pytest.mark.parametrize("meetings", [1, 12])
def test_the_index_costs_the_same_queries_at_any_size(client, django_assert_num_queries, meetings):
    year_of(meetings)
    with django_assert_num_queries(3):
        assert client.get("/annual/").status_code == 200


@pytest.mark.parametrize("meetings", [1, 12])
@pytest.mark.parametrize("suffix", ["pdf", "docx", "xlsx"])
def test_each_file_costs_the_same_queries_and_answers_304_after(
    client, django_assert_num_queries, meetings, suffix
):
    year_of(meetings)
    with pinned_clock(2023, 1, 10):
        # The content version (for the validators), then the year's eight reads minus one
        # (no content version again), and a look into the PDF cache for nothing.
        with django_assert_num_queries(8):
            response = client.get(f"/annual/2022.{suffix}")
        assert response.status_code == 200
        with django_assert_num_queries(1):
            again = client.get(f"/annual/2022.{suffix}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
