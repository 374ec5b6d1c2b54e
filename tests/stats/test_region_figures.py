"""The public dashboard at /stats/: figures against a hand-computed example, growth, stocks,
drafts left out, sorting, query count, the charts, and the season's PDF and workbook."""

import html
import io
import re
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from django.core.cache import cache
from pypdf import PdfReader

from stats import charts
from stats.models import FormTemplate, Indicator, Report, ReportingPeriod, Value
from stats.region_figures import DEMO_MARKER, Change, growth, growth_text, region_figures, seasons
from tests.helpers import make_municipality, make_organization, normalize

pytestmark = pytest.mark.django_db

ACCEPTED = Report.Status.ACCEPTED
OUTDOOR = "VS.EVENTS.OUTDOOR"
EVENTS = "VS.EVENTS"
SITES = "VS.OUT_SITES"
DAYS = "VS.OUT_DAYS"


@pytest.fixture(autouse=True)
def _fresh_chart_cache():
    cache.clear()


def make_report(organization, year, month, values, *, status=ACCEPTED, comment=""):
    """A report of form v1 with the given figures (indicator code → value)."""
    form = FormTemplate.objects.get(code="VS", version=1)
    period, _ = ReportingPeriod.objects.get_or_create(year=year, month=month)
    report = Report.objects.create(
        organization=organization, form=form, period=period, status=status, comment=comment
    )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=values)}
    Value.objects.bulk_create(
        [Value(report=report, indicator=indicators[c], value=v) for c, v in values.items()]
    )
    return report


def figures(outdoor, sites=None, days=None):
    values = {OUTDOOR: outdoor, EVENTS: outdoor * 2, SITES: sites}
    if days is not None:
        values[DAYS] = days
    return values


@pytest.fixture
def example():
    """Three library systems in two municipalities, summers 2023 and 2024.

    Hand-computed (outdoor events are a flow, sites a stock):
      2023: A 10+20+5 = 35, sites 2 (August); B 4+6 = 10, sites 5 (July, no August report).
            Region: events 45, sites 7. Days: 0 (reported, all zero).
      2024: A 12+30+8 = 50, sites 6 (July: August's sites left empty);
            B 5+10 = 15, sites 3 (August);
            C 7, sites 1 (June accepted; July submitted and August draft do not count).
            Region: events 72 (+60,0 %), sites 10 (+42,9 %). Days 15 (no growth: 2023 was 0).
      May 2024 (not summer): C 99 outdoor events, in the months table only.
    Whole summers (all three months counted): A in both years; B has two months each year,
    C one. Growth compares A alone: events 50 against 35 (+42,9 %), sites 6 against 2.
    """
    north = make_municipality("Северный городской округ")
    south = make_municipality("Южный муниципальный округ")
    a = make_organization("ЦБС А", municipality=north)
    b = make_organization("ЦБС Б", municipality=north)
    c = make_organization("ЦБС В", municipality=south)
    make_report(a, 2023, 6, figures(10, 3, 0))
    make_report(a, 2023, 7, figures(20, 4, 0))
    make_report(a, 2023, 8, figures(5, 2, 0))
    make_report(b, 2023, 6, figures(4, 1, 0))
    make_report(b, 2023, 7, figures(6, 5, 0), status=Report.Status.LOCKED)
    make_report(a, 2024, 6, figures(12, 4, 5))
    make_report(a, 2024, 7, figures(30, 6, 5))
    make_report(a, 2024, 8, figures(8, None, 5))
    make_report(b, 2024, 6, figures(5, 2))
    make_report(b, 2024, 8, figures(10, 3))
    make_report(c, 2024, 5, figures(99, 0))
    make_report(c, 2024, 6, figures(7, 1))
    make_report(c, 2024, 7, figures(7, 9), status=Report.Status.SUBMITTED)
    make_report(c, 2024, 8, figures(100, 50), status=Report.Status.DRAFT)
    make_report(a, 2022, 7, figures(500, 40), status=Report.Status.RETURNED)
    return {"a": a, "b": b, "c": c}


def page_text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_season_totals_match_the_hand_computed_example(example):
    by_year = seasons()
    assert sorted(by_year) == [2023, 2024]  # the returned 2022 report does not count
    assert by_year[2023].values["outdoor_events"] == 45
    assert by_year[2023].values["events"] == 90
    assert by_year[2023].values["sites"] == 7
    assert by_year[2023].values["days"] == 0
    assert by_year[2023].organizations == 2
    assert by_year[2023].complete_organizations == 1  # Б: June and July only
    assert by_year[2024].values["outdoor_events"] == 72
    assert by_year[2024].values["sites"] == 10
    assert by_year[2024].values["days"] == 15
    assert by_year[2024].values["outdoor_attendance"] is None  # nobody reported it
    assert by_year[2024].organizations == 3
    assert by_year[2024].complete_organizations == 1
    assert not by_year[2024].demo


def test_growth_is_shown_only_where_the_previous_year_is_above_zero(example):
    data = region_figures(year=2024)
    lines = {line.measure.key: line for line in data.region}
    assert data.region_years == [2022, 2023, 2024]
    assert lines["outdoor_events"].values == [None, 45, 72]
    # Like for like: only А has the whole summer in both years (50 against 35).
    assert lines["outdoor_events"].changes[1].growth == pytest.approx(50 / 35 * 100 - 100)
    assert lines["outdoor_events"].changes[1].growth_text == "+42,9 %"
    assert lines["outdoor_events"].changes[0].growth is None  # 2022: nothing accepted
    assert lines["sites"].changes[1].growth_text == "+200,0 %"  # А: 6 against 2
    assert lines["days"].values == [None, 0, 15]
    assert lines["days"].changes[1].growth is None  # 2023 was zero
    assert growth(5, 0) is None and growth(5, None) is None and growth(None, 5) is None
    assert growth_text(growth(90, 100)) == "−10,0 %"
    assert Change(10, 10).growth_text == "0,0 %" and Change(10, 10).direction == ""


def test_municipalities_and_organisations_take_the_stock_of_their_last_month(example):
    data = region_figures(year=2024)
    municipalities = {row.name: row for row in data.municipalities}
    north = municipalities["Северный городской округ"].cells
    assert (north["outdoor_events"].value, north["outdoor_events"].previous) == (65, 45)
    # Б has no whole summer: the municipality's growth is А's alone.
    assert north["outdoor_events"].growth_text == "+42,9 %"
    assert municipalities["Северный городской округ"].incomplete == 1
    assert (north["sites"].value, north["sites"].previous) == (9, 7)
    south = municipalities["Южный муниципальный округ"].cells
    assert (south["outdoor_events"].value, south["outdoor_events"].previous) == (7, None)
    assert south["outdoor_events"].growth_text == ""
    organizations = {row.name: row for row in data.organizations}
    assert organizations["ЦБС А"].cells["sites"].value == 6  # July: August's cell is empty
    assert organizations["ЦБС Б"].cells["sites"].value == 3
    assert organizations["ЦБС В"].cells["sites"].value == 1  # the August draft is ignored
    assert organizations["ЦБС В"].municipality == "Южный муниципальный округ"
    assert organizations["ЦБС А"].cells["outdoor_events"].growth_text == "+42,9 %"
    assert organizations["ЦБС Б"].cells["outdoor_events"].growth_text == ""  # 15 against 10
    assert (organizations["ЦБС Б"].months, organizations["ЦБС В"].months) == (2, 1)


def test_a_summer_with_one_month_accepted_is_never_compared_with_a_whole_one(client, db):
    """The issue's case: one of three summer months accepted made a system «−96,0 %» and
    counted it among the systems that reported."""
    whole = make_organization("ЦБС полная")
    partial = make_organization("ЦБС с одним месяцем")
    for month in (6, 7, 8):
        make_report(whole, 2024, month, figures(10))
        make_report(whole, 2025, month, figures(11))
        make_report(partial, 2024, month, figures(100))
    make_report(partial, 2025, 6, figures(12))
    data = region_figures(year=2025)
    assert (data.season.organizations, data.season.complete_organizations) == (2, 1)
    rows = {row.name: row for row in data.organizations}
    assert rows["ЦБС с одним месяцем"].cells["outdoor_events"].value == 12
    assert rows["ЦБС с одним месяцем"].cells["outdoor_events"].growth is None  # not −96 %
    assert rows["ЦБС полная"].cells["outdoor_events"].growth_text == "+10,0 %"
    [(_measure, outdoor)] = [(m, c) for m, c in data.headline if m.key == "outdoor_events"]
    assert (outdoor.value, outdoor.previous) == (45, 330)  # every accepted figure, shown
    assert outdoor.growth_text == "+10,0 %"  # growth over the whole summers: 33 against 30
    text = page_text(client.get("/stats/", {"year": 2025}))
    assert "−96,0 %" not in text and "−86,4 %" not in text
    assert (
        "Принятые отчёты 2 библиотечных систем. За всё лето (июнь–август) — 1 из них; "
        "показатели этого лета неполные" in text
    )
    assert "ЦБС с одним месяцем 1 из 3 летних месяцев" in text


def test_months_of_the_year_count_each_month_apart(example):
    months = {m.month: m.values for m in region_figures(year=2024).months}
    assert len(months) == 12
    assert months[5]["outdoor_events"] == 99
    assert months[6]["outdoor_events"] == 12 + 5 + 7
    assert months[7]["outdoor_events"] == 30
    assert months[8]["outdoor_events"] == 8 + 10
    assert (months[6]["sites"], months[7]["sites"], months[8]["sites"]) == (7, 6, 3)
    assert months[1]["outdoor_events"] is None


def test_the_page_shows_the_figures_and_the_draft_is_nowhere(client, example):
    response = client.get("/stats/", {"year": 2024})
    assert response.status_code == 200
    text = page_text(response)
    assert "72" in text and "+42,9 %" in text and "+200,0 %" in text
    assert "+60,0 %" not in text  # the growth of incomplete summers
    assert "За всё лето (июнь–август) — 1 из них" in text
    assert "ЦБС Б 2 из 3 летних месяцев" in text and "ЦБС В 1 из 3 летних месяцев" in text
    assert "ЦБС А" in text and "Северный городской округ" in text
    # August: A 8 and Б 10 accepted; В's draft (100 events) is not counted.
    assert re.search(r"Август</th>\s*<td[^>]*>18</td>", response.content.decode())
    assert "Демонстрационные данные" not in text
    assert "/stats/summer/2024.pdf" in response.content.decode()
    assert "/stats/summer/2024.xlsx" in response.content.decode()


def test_the_latest_summer_is_shown_by_default(client, example):
    text = page_text(client.get("/stats/"))
    assert "Лето 2024" in text


def test_sorting_by_a_column_and_back(client, example):
    data = region_figures(year=2024, sort="-outdoor_events")
    assert [r.name for r in data.organizations] == ["ЦБС А", "ЦБС Б", "ЦБС В"]
    data = region_figures(year=2024, sort="outdoor_events")
    assert [r.name for r in data.organizations] == ["ЦБС В", "ЦБС Б", "ЦБС А"]
    data = region_figures(year=2024, sort="-name")
    assert [r.name for r in data.organizations] == ["ЦБС В", "ЦБС Б", "ЦБС А"]
    # Growth only for А (Б's summers are not whole, В has none the year before): the
    # others go last whichever way.
    data = region_figures(year=2024, sort="-outdoor_events_growth")
    assert [r.name for r in data.organizations] == ["ЦБС А", "ЦБС Б", "ЦБС В"]
    data = region_figures(year=2024, sort="nonsense")
    assert [r.name for r in data.organizations] == ["ЦБС А", "ЦБС Б", "ЦБС В"]
    body = client.get("/stats/", {"year": 2024, "sort": "-outdoor_events"}).content.decode()
    assert 'aria-sort="descending"' in body
    assert body.index("ЦБС А</th>") < body.index("ЦБС В <span")


def test_a_year_without_figures_says_so(client, example):
    response = client.get("/stats/", {"year": 2010})
    assert response.status_code == 200
    assert "Нет принятых данных за лето 2010 года." in page_text(response)
    assert client.get("/stats/", {"year": "abc"}).status_code == 200


def test_an_empty_database_says_nothing_was_accepted(client, db):
    response = client.get("/stats/")
    assert response.status_code == 200
    assert "Пока не принят ни один отчёт" in page_text(response)


def test_drafts_alone_show_nothing(client, db):
    organization = make_organization()
    make_report(organization, 2024, 7, figures(30, 3), status=Report.Status.DRAFT)
    make_report(organization, 2024, 8, figures(30, 3), status=Report.Status.SUBMITTED)
    assert seasons() == {}
    assert client.get("/stats/summer/2024.pdf").status_code == 404


def bulk_data(organizations: int, years: range):
    """Many accepted reports made in bulk, for the query-count test."""
    form = FormTemplate.objects.get(code="VS", version=1)
    indicators = list(Indicator.objects.filter(code__in=[OUTDOOR, EVENTS, SITES, DAYS]))
    periods = ReportingPeriod.objects.bulk_create(
        [ReportingPeriod(year=y, month=m) for y in years for m in range(1, 13)]
    )
    orgs = [
        make_organization(f"ЦБС {n}", municipality=make_municipality(f"Округ {n % 7}"))
        for n in range(organizations)
    ]
    reports = Report.objects.bulk_create(
        [
            Report(organization=o, form=form, period=p, status=ACCEPTED)
            for o in orgs
            for p in periods
        ]
    )
    Value.objects.bulk_create(
        [Value(report=r, indicator=i, value=3) for r in reports for i in indicators],
        batch_size=2000,
    )


@pytest.mark.parametrize("size", [2, 25])
def test_dashboard_query_count_does_not_grow(client, django_assert_num_queries, size):
    bulk_data(size, range(2020, 2020 + size // 5 + 2))
    # content version (page cache); every organisation's summers; months of the year; the
    # resolutions that name indicators (marked on the timeline)
    with django_assert_num_queries(4):
        response = client.get("/stats/", {"sort": "-sites"})
    assert response.status_code == 200
    assert response.context["data"].has_data
    # Then from the page cache until a figure changes: the content version only.
    with django_assert_num_queries(1):
        again = client.get("/stats/", {"sort": "-sites"})
    assert again["X-Page-Cache"] == "hit" and again.content == response.content


def test_an_accepted_report_shows_on_the_cached_dashboard(
    client, django_capture_on_commit_callbacks
):
    bulk_data(2, range(2024, 2026))
    before = client.get("/stats/").content.decode()
    report = Report.objects.filter(period__year=2025, period__month=7).first()
    with django_capture_on_commit_callbacks(execute=True):
        value = report.values.first()
        value.value = 777_777
        value.save()
    after = client.get("/stats/")
    assert "X-Page-Cache" not in after
    assert after.content.decode() != before


def test_the_charts_are_valid_svg_holding_the_years(client, example):
    body = client.get("/stats/", {"year": 2024}).content.decode()
    svgs = re.findall(r"<svg.*?</svg>", body, flags=re.S)
    assert len(svgs) == 2
    assert "<?xml" not in body and "<!DOCTYPE svg" not in body
    seasons_svg = ET.fromstring(svgs[0])
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert seasons_svg.get("role") == "img"
    assert seasons_svg.get("aria-labelledby") == "chart-seasons-title chart-seasons-desc"
    title = seasons_svg.find("svg:title", ns).text
    assert "2023" in title and "2024" in title
    assert "2023: мероприятий — 45" in seasons_svg.find("svg:desc", ns).text
    texts = {t.text for t in seasons_svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"2023", "2024"} <= texts
    # Nothing the page's Content Security Policy would block: no style attribute or element.
    for svg in svgs:
        root = ET.fromstring(svg)
        assert all("style" not in element.attrib for element in root.iter())
        assert not list(root.iter("{http://www.w3.org/2000/svg}style"))
    months_svg = ET.fromstring(svgs[1])
    assert "2024" in months_svg.find("svg:title", ns).text
    ids = re.findall(r'\bid="([^"]+)"', body)
    assert len(ids) == len(set(ids))  # two charts on one page share no id


def test_the_chart_is_deterministic_and_cached(example):
    first = charts.seasons_chart([2023, 2024], [45, 72], [None, 10])
    cache.clear()
    assert charts.seasons_chart([2023, 2024], [45, 72], [None, 10]) == first
    assert charts.seasons_chart([2023, 2024], [45, 73], [None, 10]) != first


def pdf_text(content: bytes) -> str:
    return normalize("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def test_the_season_pdf_holds_the_same_figures(client, example):
    response = client.get("/stats/summer/2024.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "leto-2024.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in (
        "Летнийсезон2024года",
        "+42,9%",
        "+200,0%",
        "ЦБСА",
        "Северныйгородскойокруг",
        "Завсёлето(июнь–август)—1изних",
        "ЦБСБ(2из3летнихмесяцев)",
        "Июнь",
    ):
        assert expected in text
    assert "+60,0%" not in text and "+44,4%" not in text
    assert "Демонстрационные" not in text
    again = client.get("/stats/summer/2024.pdf", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def rows_of(ws):
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_the_season_workbook_holds_the_same_figures(client, example):
    response = client.get("/stats/summer/2024.xlsx")
    assert response.status_code == 200
    assert "leto-2024.xlsx" in response["Content-Disposition"]
    wb = workbook(response.content)
    assert wb.sheetnames == [
        "Регион",
        "По годам",
        "Муниципальные образования",
        "Библиотечные системы",
        "Месяцы",
    ]
    region = rows_of(wb["Регион"])
    header = next(r for r in region if r[0] == "Показатель")
    assert header[1:4] == ["2022", "2023", "2024"]
    events = next(r for r in region if r[0] == "Мероприятия под открытым небом")
    assert events[1:6] == [None, 45, 72, None, 42.9]  # like for like: А alone
    sites = next(r for r in region if r[0] == "Летние читальные залы и площадки под открытым небом")
    assert sites[2:4] == [7, 10] and sites[5] == pytest.approx(200.0)
    by_year = rows_of(wb["По годам"])
    header = next(r for r in by_year if r[0] == "Год")
    assert header[-2:] == ["Отчитавшихся библиотечных систем", "Из них за всё лето"]
    assert next(r for r in by_year if r[0] == 2024)[-2:] == [3, 1]
    municipalities = rows_of(wb["Муниципальные образования"])
    north = next(r for r in municipalities if r[0] == "Северный городской округ")
    assert north[1:3] == [65, 42.9]
    organizations = rows_of(wb["Библиотечные системы"])
    c = next(r for r in organizations if r[0] == "ЦБС В")
    assert c[1] == "Южный муниципальный округ" and c[2:5] == [1, 7, None]
    b = next(r for r in organizations if r[0] == "ЦБС Б")
    assert b[2:5] == [2, 15, None]  # two summer months: no growth against a year
    months = rows_of(wb["Месяцы"])
    june = next(r for r in months if r[0] == "Июнь")
    assert june[1] == 24
    all_text = " ".join(str(v) for ws in wb for r in rows_of(ws) for v in r if v is not None)
    assert "Демонстрационные" not in all_text
    assert (
        wb.properties.title
        == "Летний сезон 2024 года: внестационарное обслуживание в библиотеках Кузбасса"
    )


@pytest.mark.parametrize("url", ["/stats/summer/2010.pdf", "/stats/summer/2010.xlsx"])
def test_an_unknown_year_of_the_files_is_404(client, example, url):
    assert client.get(url).status_code == 404


def test_the_demo_label_follows_the_demo_reports(
    client, example, django_capture_on_commit_callbacks
):
    report = Report.objects.get(organization=example["c"], period__year=2024, period__month=6)
    with django_capture_on_commit_callbacks(execute=True):  # the home page's cache is renewed
        report.comment = f"{DEMO_MARKER} Демонстрационные данные."
        report.save()
    label = "Демонстрационные данные"
    assert label in page_text(client.get("/stats/", {"year": 2024}))
    assert label in page_text(client.get("/"))
    assert label.replace(" ", "") in pdf_text(client.get("/stats/summer/2024.pdf").content)
    wb = workbook(client.get("/stats/summer/2024.xlsx").content)
    assert all(
        any(isinstance(v, str) and v.startswith(label) for r in rows_of(ws) for v in r) for ws in wb
    )
    # Once the centre's comment no longer marks it (or the report is gone), no label.
    with django_capture_on_commit_callbacks(execute=True):
        report.comment = ""
        report.save()
    assert label not in page_text(client.get("/stats/", {"year": 2024}))
    assert label not in page_text(client.get("/"))


def test_home_shows_the_last_summer_with_growth(client, example):
    text = page_text(client.get("/"))
    assert "Лето 2024" in text
    assert "+42,9 %" in text and "+60,0 %" not in text
    assert "Принятые отчёты 3 библиотечных систем" in text
    assert "За всё лето (июнь–август) — 1 из них" in text
