"""Demo statistics of load_demo: Kuzbass's municipalities and library systems, plausible
figures 2019–2025, idempotence, demo accounts, and the label on every page that shows them."""

import io
import re
from collections import Counter, defaultdict

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from pypdf import PdfReader

from demo.club import demo_load
from demo.statistics import (
    DEMO_COMMENT,
    LIBRARY_SYSTEMS,
    OPERATOR_ORGANIZATION,
    demo_statistics_accounts,
    demo_statistics_load,
    genitive,
    month_figures,
)
from kernel.roles import CENTRE_METHODIST, LIBRARY_OPERATOR
from members.models import Municipality, OperatorAccount, Organization
from resolutions.models import Resolution
from stats.checks import Thresholds, run_checks
from stats.models import CheckSettings, FormTemplate, Indicator, Report, Value
from stats.region_figures import DEMO_MARKER, demo_figures_loaded, seasons
from stats.selectors import check_context, form_items

pytestmark = pytest.mark.django_db

REPORTS = 34 * 7 * 12 - 3  # every library system, every month, but the operator's summer 2025


def totals():
    return (
        Municipality.objects.count(),
        Organization.objects.count(),
        Report.objects.count(),
        Value.objects.count(),
        Value.objects.aggregate(total=Sum("value"))["total"],
    )


def test_loads_every_municipality_of_kuzbass_with_its_library_system_once():
    demo_load()  # the minutes first, with their four library systems
    result = demo_statistics_load()
    assert result.organizations == 34
    assert result.reports_created == REPORTS
    assert result.values_created == REPORTS * 20
    assert Municipality.objects.count() == 34  # 16 city and 18 municipal districts
    names = set(Municipality.objects.values_list("name", flat=True))
    assert {"Кемеровский городской округ", "Новокузнецкий муниципальный округ"} <= names
    assert "Таштагольский муниципальный район" in names
    # The four library systems of the minutes are reused, not duplicated.
    assert Organization.objects.filter(short_name=OPERATOR_ORGANIZATION).count() == 1
    assert Organization.objects.library_systems().count() == 34
    assert Organization.objects.filter(short_name="Полысаевская ЦБС").get().reports.count() == 84
    assert Report.objects.exclude(status=Report.Status.ACCEPTED).count() == 0
    assert not Report.objects.exclude(comment=DEMO_COMMENT).exists()

    before = totals()
    again = demo_statistics_load()
    assert (again.reports_created, again.values_created) == (0, 0)
    assert totals() == before


def test_form_v1_is_approved_by_decision_1_of_the_demo_minutes():
    demo_statistics_load()
    assert FormTemplate.objects.get(code="VS", version=1).approved_by is None  # no minutes yet
    demo_load()
    demo_statistics_load()
    form = FormTemplate.objects.get(code="VS", version=1)
    assert form.approved_by == Resolution.objects.get(
        meeting__slug="2021-06-23", section=Resolution.Section.DECISIONS, number=1
    )
    assert "унифицировать и утвердить формы библиотечной статистики" in form.approved_by.text


def test_the_figures_are_the_same_on_every_run():
    assert month_figures("ЦБС г. Юрги", 0.9, 2022, 7) == month_figures("ЦБС г. Юрги", 0.9, 2022, 7)
    demo_statistics_load()
    first = totals()
    Report.objects.filter(period__year=2023).delete()
    demo_statistics_load()
    assert totals() == first


def test_genitive_names_of_municipalities():
    assert genitive("Ленинск-Кузнецкий муниципальный округ") == (
        "Ленинск-Кузнецкого муниципального округа"
    )
    assert genitive("Таштагольский муниципальный район") == "Таштагольского муниципального района"
    assert len(LIBRARY_SYSTEMS) == 34


def test_the_figures_are_plausible():
    demo_statistics_load()
    parents = dict(
        Indicator.objects.filter(parent__isnull=False).values_list("code", "parent__code")
    )
    by_report = defaultdict(dict)
    for report_id, code, value in Value.objects.values_list(
        "report_id", "indicator__code", "value"
    ):
        by_report[report_id][code] = value
    # A part («из них») is never above its whole; every figure is a whole non-negative number.
    for values in by_report.values():
        assert all(v is not None and v >= 0 for v in values.values())
        for part, whole in parents.items():
            assert values[part] <= values[whole], (part, values)
        assert values["VS.KIBO_STOPS"] >= values["VS.KIBO_TRIPS"]

    def region(code, year, months=range(1, 13)):
        return Value.objects.filter(
            indicator__code=code, report__period__year=year, report__period__month__in=months
        ).aggregate(total=Sum("value"))["total"]

    for year in range(2019, 2026):
        # Outdoor work peaks in summer.
        assert region("VS.EVENTS.OUTDOOR", year, [7]) > 5 * region("VS.EVENTS.OUTDOOR", year, [1])
    # The lockdown of spring 2020: fewer visits over the year, libraries closed in April.
    assert region("VS.VISITS", 2020) < 0.9 * region("VS.VISITS", 2019)
    assert region("VS.EVENTS", 2020, [4]) < 0.1 * region("VS.EVENTS", 2019, [4])
    # The minutes of June 2021: summer 2020 brought more outdoor visitors than 2019, and
    # the dynamics stay positive.
    by_year = seasons()
    for year in range(2020, 2026):
        for key in ("outdoor_events", "outdoor_attendance", "sites"):
            assert by_year[year].values[key] > by_year[year - 1].values[key], (year, key)


def test_the_operator_s_summer_2025_is_left_to_fill(settings):
    settings.DEBUG = True
    demo_load()
    demo_statistics_load()
    logins = demo_statistics_accounts()
    assert logins == [("centre", "kuzbass-centre-2021"), ("operator", "kuzbass-operator-2021")]
    account = OperatorAccount.objects.select_related("user", "organization").get()
    assert account.user.username == "operator" and not account.user.is_staff
    assert account.organization.short_name == OPERATOR_ORGANIZATION
    assert account.user.groups.filter(name=LIBRARY_OPERATOR).exists()
    reports = Report.objects.filter(organization=account.organization, period__year=2025)
    assert sorted(reports.values_list("period__month", flat=True)) == [1, 2, 3, 4, 5, 9, 10, 11, 12]
    assert Report.objects.filter(organization=account.organization, period__year=2024).count() == 12
    centre = get_user_model().objects.get(username="centre")
    assert centre.is_staff and centre.groups.filter(name=CENTRE_METHODIST).exists()
    # Running again leaves the accounts as they are.
    assert demo_statistics_accounts() == logins
    assert OperatorAccount.objects.count() == 1


def test_demo_accounts_take_passwords_from_the_environment(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_CENTRE_PASSWORD", "centre-from-env")
    monkeypatch.setenv("DEMO_OPERATOR_PASSWORD", "operator-from-env")
    assert demo_statistics_accounts() == [
        ("centre", "centre-from-env"),
        ("operator", "operator-from-env"),
    ]
    settings.DEBUG = False
    with pytest.raises(RuntimeError):
        demo_statistics_accounts()


def page_text(response) -> str:
    body = re.sub(r"<svg.*?</svg>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_the_demo_label_is_on_every_page_while_the_demo_figures_are_loaded(
    client, django_capture_on_commit_callbacks
):
    label = "Демонстрационные данные"
    assert not demo_figures_loaded()
    demo_statistics_load()
    assert demo_figures_loaded()
    page = client.get("/stats/")
    assert page.status_code == 200
    assert label in page_text(page)
    assert "Лето 2025 года" in page_text(page)
    assert "МИБС г. Новокузнецка" in page_text(page)
    assert label in page_text(client.get("/"))
    pdf = client.get("/stats/summer/2025.pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert label in text
    xlsx = client.get("/stats/summer/2025.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    for ws in wb:
        assert any(
            isinstance(v, str) and v.startswith(label)
            for row in ws.iter_rows(values_only=True)
            for v in row
        ), ws.title
    # The label speaks to readers, not of the command that made the figures.
    cells = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row)
    for shown in (page_text(page), page_text(client.get("/")), text, cells):
        assert "load_demo" not in shown

    # Once the demo reports are gone, so is the label.
    with django_capture_on_commit_callbacks(execute=True):  # the home page's cache is renewed
        Report.objects.filter(comment__startswith=DEMO_MARKER).delete()
    assert not demo_figures_loaded()
    assert label not in page_text(client.get("/stats/"))
    assert label not in page_text(client.get("/"))


def demo_warnings(thresholds=None) -> Counter:
    """Every warning the checks give on the demo's reports, by check, as the portal runs them:
    form v1's thresholds (or those given) and stocks, last year's figures from the database."""
    form = FormTemplate.objects.get(code="VS", version=1)
    items = form_items(form)
    context = check_context(form, items)
    if thresholds is not None:
        context["thresholds"] = thresholds
    figures = defaultdict(dict)
    for organization, year, month, code, value in Value.objects.values_list(
        "report__organization_id",
        "report__period__year",
        "report__period__month",
        "indicator__code",
        "value",
    ):
        figures[organization, year, month][code] = value
    found = Counter()
    for (organization, year, month), values in figures.items():
        last_year = figures.get((organization, year - 1, month), {})
        for finding in run_checks(values, last_year, month=month, **context):
            assert not finding.is_hard, finding
            found[finding.code] += 1
    return found


def test_same_as_last_year_no_longer_drowns_the_demo_s_warnings():
    demo_statistics_load()
    # The rule as it was: every non-zero figure identical to last year's, stocks included.
    before = demo_warnings(Thresholds(same_above=0, same_on_stocks=True))
    after = demo_warnings()
    assert CheckSettings.objects.get(form__code="VS", form__version=1).thresholds() == Thresholds()
    assert before == {
        "same_as_last_year": 8590,
        "jump": 2497,
        "appeared": 1281,
        "dropped_to_zero": 1074,
    }
    assert after == before | {"same_as_last_year": 717}
    # From 64 % of all warnings to 13 %: what is left is a figure above ten, two years running.
    assert round(100 * before["same_as_last_year"] / before.total()) == 64
    assert round(100 * after["same_as_last_year"] / after.total()) == 13
