"""A resolution's page shows the figures it aims to move: the demo's outdoor note, the summers
before the meeting of 23 June 2021 and every one since, the same numbers as /stats/; and
/stats/ marks the resolution on its timeline."""

import datetime
import html
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache

from demo.club import demo_load
from demo.statistics import demo_statistics_load
from members.models import Organization
from resolutions.models import Resolution
from stats.decision_figures import first_season_since
from stats.models import DecisionTarget, DecisionTargetSystem, Indicator, Report
from stats.region_figures import comparable, growth, growth_text, organization_seasons, seasons
from tests.helpers import make_meeting, make_organization, make_report, make_resolution

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def text(fragment: str) -> str:
    body = re.sub(r"<svg.*?</svg>", " ", fragment, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return html.unescape(re.sub(r"\s+", " ", body)).strip()


def number(value) -> str:
    """1988 → «1 988», as intcomma writes it in Russian (read back as a plain space)."""
    return f"{value:,}".replace(",", " ")


def table_rows(page: str, caption_start: str) -> list[list[str]]:
    """The rows (cell texts) of the table whose caption starts so."""
    for table in re.findall(r"<table.*?</table>", page, flags=re.S):
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, flags=re.S)
        if caption and text(caption.group(1)).startswith(caption_start):
            body = re.search(r"<tbody>(.*?)</tbody>", table, flags=re.S).group(1)
            return [
                [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
            ]
    raise AssertionError(f"no table «{caption_start}…»")


def charts_of(page: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S)]


@pytest.fixture
def outdoor_note(db):
    demo_load()
    demo_statistics_load()
    return Resolution.objects.get(
        meeting__slug="2021-06-23", section=Resolution.Section.RESOLVED, number=2
    )


# The demo's figures, pinned: the summers of the whole region (accepted reports only).
OUTDOOR_EVENTS = {
    2019: 1818,
    2020: 1988,
    2021: 2132,
    2022: 2272,
    2023: 2364,
    2024: 2531,
    2025: 2597,
}


def test_the_demo_note_is_linked_to_the_outdoor_indicators_and_two_systems(outdoor_note):
    assert [t.indicator.code for t in outdoor_note.targets.order_by("pk")] == [
        "VS.EVENTS.OUTDOOR",
        "VS.EVENT_ATT.OUTDOOR",
    ]
    assert {s.organization.short_name for s in outdoor_note.target_systems.all()} == {
        "МИБС г. Новокузнецка",
        "МИБС г. Кемерово",
    }
    before = DecisionTarget.objects.count(), DecisionTargetSystem.objects.count()
    demo_statistics_load()  # once
    assert (DecisionTarget.objects.count(), DecisionTargetSystem.objects.count()) == before


def test_the_page_shows_2019_2020_before_and_2021_2025_since_as_stats_does(client, outdoor_note):
    page = client.get(f"/resolutions/{outdoor_note.pk}/").content.decode()
    summers = seasons()
    assert {y: s.values["outdoor_events"] for y, s in summers.items()} == OUTDOOR_EVENTS
    events = table_rows(page, "Мероприятия под открытым небом: летние сезоны")
    assert [row[:2] for row in events] == [
        ["2019", "до решения"],
        ["2020", "до решения"],
        *[[str(year), "после решения"] for year in range(2021, 2026)],
    ]
    # The same numbers as the years table of /stats/, growth as its region table gives it.
    stats_page = client.get("/stats/").content.decode()
    stats_rows = {row[0]: row for row in table_rows(stats_page, "Летние сезоны по годам")}
    for row in events:
        assert row[2] == stats_rows[row[0]][1] == number(OUTDOOR_EVENTS[int(row[0])])
    attendance = table_rows(page, "Посещения мероприятий под открытым небом: летние сезоны")
    for row in attendance:
        assert row[2] == stats_rows[row[0]][2]
    stats_2021 = client.get("/stats/", {"year": 2021}).content.decode()
    [events_line] = [
        r
        for r in table_rows(stats_2021, "Летние сезоны 2019–2021")
        if r[0].startswith("Мероприятия под")
    ]
    # 2020 and 2021 against the summer before, as the region table of /stats/?year=2021.
    assert [events[1][3], events[2][3]] == events_line[4:6]
    # The named systems: their own summers, as the library systems table of /stats/.
    by_org = {
        (s.name, s.year): s.values["outdoor_events"]
        for s in organization_seasons()
        if s.name == "МИБС г. Новокузнецка"
    }
    header = re.search(r"<thead>(.*?)</thead>", page, flags=re.S).group(1)
    assert "МИБС г. Кемерово" in header and "МИБС г. Новокузнецка" in header
    assert [row[6] for row in events] == [
        number(by_org[("МИБС г. Новокузнецка", year)]) for year in range(2019, 2026)
    ]
    # Kemerovo's summer of 2025 is left for the demo operator to fill in.
    assert events[-1][4:6] == ["—", "—"]
    # The latest summer against the last before, like for like (Kemerovo's 2025 left out).
    basis = comparable(organization_seasons(), 2025, against=2020)["outdoor_events"]
    assert (
        f"Лето 2025 года против лета 2020 года, последнего перед решением: "
        f"{growth_text(growth(*basis))} по области" in text(page)
    )


def test_the_chart_marks_the_day_of_the_decision(client, outdoor_note):
    page = client.get(f"/resolutions/{outdoor_note.pk}/").content.decode()
    events_chart, attendance_chart = charts_of(page)
    for chart in (events_chart, attendance_chart):
        words = " ".join(t.text or "" for t in chart.iter(f"{SVG}text"))
        assert "Решение от 23 июня 2021 г." in words
        assert all(str(year) in words for year in range(2019, 2026))
        assert chart.find(f"{SVG}desc").text.endswith("Решение от 23 июня 2021 г.")
    description = events_chart.find(f"{SVG}desc").text
    assert "2019: 1 818" in description.replace("\N{NO-BREAK SPACE}", " ")


def test_stats_marks_the_decision_on_its_timeline(client, outdoor_note):
    page = client.get("/stats/").content.decode()
    rows = table_rows(page, "Летние сезоны по годам")
    marked = {row[0]: row[-1] for row in rows}
    assert marked["2021"] == "23 июня 2021 г.: Постановили, п. 2"
    assert marked["2020"] == marked["2025"] == ""
    assert f'href="/resolutions/{outdoor_note.pk}/"' in page
    seasons_chart = charts_of(page)[0]
    words = " ".join(t.text or "" for t in seasons_chart.iter(f"{SVG}text"))
    assert "23 июня 2021 г." in words


def test_a_draft_resolution_is_not_marked_on_stats(client, outdoor_note):
    draft = make_meeting(datetime.date(2023, 5, 1), status="draft")
    item = make_resolution(draft, 1, kind=Resolution.Kind.DECISION, text="Черновое решение")
    DecisionTarget.objects.create(
        resolution=item, indicator=Indicator.objects.get(code="VS.EVENTS")
    )
    page = client.get("/stats/").content.decode()
    assert "1 мая 2023" not in page
    assert f"/resolutions/{item.pk}/" not in page


def test_a_summer_counts_as_since_while_it_lasts():
    assert first_season_since(datetime.date(2021, 6, 23)) == 2021
    assert first_season_since(datetime.date(2021, 8, 31)) == 2021
    assert first_season_since(datetime.date(2021, 9, 1)) == 2022
    assert first_season_since(datetime.date(2022, 4, 14)) == 2022


def test_nothing_to_compare_is_said_plainly(client, db):
    organization = make_organization("ЦБС для сравнения")
    meeting = make_meeting(datetime.date(2022, 4, 14))
    item = make_resolution(meeting, 1, kind=Resolution.Kind.DECISION, text="Развивать КИБО")
    for code in ("VS.EVENTS", "VS.KIBO_TRIPS"):
        DecisionTarget.objects.create(resolution=item, indicator=Indicator.objects.get(code=code))
    for month in (6, 7, 8):
        make_report(organization, 2023, month, {"VS.EVENTS": 10}, status=Report.Status.ACCEPTED)
    # A draft counts for nothing.
    make_report(organization, 2021, 6, {"VS.KIBO_TRIPS": 4})
    body = text(client.get(f"/resolutions/{item.pk}/").content.decode())
    assert "Ни одно лето перед решением не имеет принятых показателей" in body
    assert "Принятых отчётов с этим показателем пока нет: сравнивать не с чем." in body
    item.meeting.date = datetime.date(2024, 4, 1)
    item.meeting.save()
    cache.clear()  # the commit that would move the content version never comes in a test
    body = text(client.get(f"/resolutions/{item.pk}/").content.decode())
    assert "После решения ещё нет ни одного лета с принятыми показателями" in body


def test_an_item_without_indicators_shows_no_figures(client, outdoor_note):
    gratitude = Resolution.objects.get(
        meeting__slug="2021-06-23", section=Resolution.Section.RESOLVED, number=1
    )
    body = text(client.get(f"/resolutions/{gratitude.pk}/").content.decode())
    assert "Показатели, которые должен изменить пункт" not in body


def test_the_cached_page_follows_a_new_link(
    client, outdoor_note, django_capture_on_commit_callbacks
):
    decision = Resolution.objects.get(
        meeting__slug="2021-06-23", section=Resolution.Section.DECISIONS, number=2
    )
    url = f"/resolutions/{decision.pk}/"
    assert "Мероприятия вне стационара" not in text(client.get(url).content.decode())
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        DecisionTarget.objects.create(
            resolution=decision, indicator=Indicator.objects.get(code="VS.EVENTS")
        )
    assert "Мероприятия вне стационара" in text(client.get(url).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        DecisionTargetSystem.objects.create(
            resolution=decision,
            organization=Organization.objects.get(short_name="Полысаевская ЦБС"),
        )
    assert "Полысаевская ЦБС" in client.get(url).content.decode()


@pytest.mark.parametrize("systems", [1, 12])
def test_the_page_query_count_does_not_grow(
    client, outdoor_note, django_assert_num_queries, systems
):
    for organization in Organization.objects.library_systems().order_by("pk")[:systems]:
        DecisionTargetSystem.objects.get_or_create(
            resolution=outdoor_note, organization=organization
        )
    DecisionTarget.objects.create(
        resolution=outdoor_note, indicator=Indicator.objects.get(code="VS.OUT_SITES")
    )
    cache.clear()
    # content version, the item, its progress, its admissions, its indicators, its library
    # systems, the grouped summers
    with django_assert_num_queries(7):
        response = client.get(f"/resolutions/{outdoor_note.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("decisions", [1, 15])
def test_stats_query_count_does_not_grow_with_the_marked_decisions(
    client, outdoor_note, django_assert_num_queries, decisions
):
    indicator = Indicator.objects.get(code="VS.EVENTS")
    for number in range(1, decisions):
        meeting = make_meeting(datetime.date(2021 + number % 5, 4, 1 + number))
        item = make_resolution(meeting, 1, kind=Resolution.Kind.DECISION)
        DecisionTarget.objects.create(resolution=item, indicator=indicator)
    cache.clear()
    # content version, the summers, the months, the marked resolutions with their meetings
    with django_assert_num_queries(4):
        page = client.get("/stats/").content.decode()
    assert len(re.findall(r'href="/resolutions/\d+/"', page)) == decisions
