"""One report per organisation and month whatever the form version; versions with periods.

The issue's sequence: July on version 1 is accepted, version 2 is approved, and July is
opened on version 2. It is refused with a message naming the accepted report, by the
services and by the database, and /stats/, the year summary and the export count July once.
"""

import datetime
import io
import re

import openpyxl
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from stats import services
from stats.forms import NewReportForm
from stats.importer import bulk_values_import
from stats.models import FormItem, FormTemplate, Indicator, Report, Value
from stats.region_figures import region_figures
from stats.services import WorkflowError
from tests.helpers import (
    CLEAN_JUNE,
    LAST_JUNE,
    form_v1,
    make_operator,
    make_organization,
    make_report,
    stored_values,
)
from tests.stats.test_entry import page_text
from tests.stats.test_import import bulk_workbook

pytestmark = pytest.mark.django_db

JULY_ACCEPTED = datetime.datetime(2026, 8, 9, 11, 0, tzinfo=datetime.UTC)


@pytest.fixture
def cbs():
    return make_organization("ЦБС г. Юрги")


def approved_v2(valid_from=datetime.date(2026, 7, 1), *, name="Внестационарное обслуживание"):
    """Version 2 of form VS: a copy of version 1, approved from `valid_from`."""
    draft = services.form_copy(form=form_v1())
    FormTemplate.objects.filter(pk=draft.pk).update(name=name, valid_from=valid_from)
    draft.refresh_from_db()
    return services.form_approve(form=draft, approved_on=datetime.date(2026, 7, 20)).form


def accepted_july(organization, figures=None):
    report = make_report(
        organization, 2026, 7, figures or {"VS.EVENTS.OUTDOOR": 39, "VS.EVENTS": 50}
    )
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.ACCEPTED, accepted_at=JULY_ACCEPTED
    )
    report.refresh_from_db()
    return report


# One report per organisation and month -------------------------------------------------------


def test_the_double_count_sequence_is_refused_naming_the_accepted_report(cbs):
    july_v1 = accepted_july(cbs)
    v2 = approved_v2()
    with pytest.raises(WorkflowError) as refused:
        services.report_open(organization=cbs, year=2026, month=7, form=v2)
    assert str(refused.value.message) == (
        "У ЦБС г. Юрги уже есть отчёт за июль 2026 г.: «Внестационарное обслуживание, "
        "версия 1», принят 9 августа 2026 г. Второй отчёт за тот же месяц учёл бы его "
        "показатели дважды."
    )
    assert refused.value.report == july_v1
    assert Report.objects.filter(organization=cbs).count() == 1
    # Whatever the month's version, the organisation's July is the one report.
    assert services.report_open(organization=cbs, year=2026, month=7, code="VS") == july_v1


def test_the_database_refuses_a_second_report_for_the_month_on_another_version(cbs):
    july_v1 = accepted_july(cbs)
    v2 = approved_v2()
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(organization=cbs, form=v2, period=july_v1.period)
    assert Report.objects.filter(organization=cbs).count() == 1


def test_stats_summary_and_export_count_the_month_once(client, cbs, centre_methodist):
    accepted_july(cbs)
    v2 = approved_v2()
    with pytest.raises(WorkflowError):
        services.report_open(organization=cbs, year=2026, month=7, form=v2)
    data = region_figures(year=2026)
    assert data.season.values["outdoor_events"] == 39  # not 39 + 39
    client.force_login(centre_methodist)
    summary = openpyxl.load_workbook(
        io.BytesIO(client.get("/stats/export/summary-2026.xlsx").content)
    )["VS.EVENTS.OUTDOOR"]
    region = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Всего по региону")
    assert region[2 + 6] == 39  # July's column
    export = openpyxl.load_workbook(
        io.BytesIO(client.get("/stats/export/accepted.xlsx").content)
    ).active
    outdoor = [r for r in export.iter_rows(values_only=True) if r[4] == "VS.EVENTS.OUTDOOR"]
    assert [r[7] for r in outdoor] == [39]  # the value, on the version accepted
    assert [r[8] for r in outdoor] == [1]


def test_the_operator_opening_july_after_v2_gets_her_july_and_is_told_its_version(cbs, client):
    july_v1 = accepted_july(cbs)
    approved_v2()
    client.force_login(make_operator(cbs, "operator-yurga"))
    response = client.post(
        "/stats/reports/new/", {"form": "VS", "year": "2026", "month": "7"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/stats/reports/{july_v1.pk}/"
    assert (
        "Отчёт за июль 2026 г. был открыт по версии 1 формы до того, как к этому месяцу стала "
        "применяться версия 2; он остаётся на версии 1." in page_text(response)
    )
    assert Report.objects.filter(organization=cbs).count() == 1


def test_the_bulk_import_refuses_a_month_reported_on_another_version(cbs):
    accepted_july(cbs)
    v2 = approved_v2()
    rows = [[cbs.short_name, 2026, 7, "VS.EVENTS.OUTDOOR", 39]]
    result = bulk_values_import(fileobj=io.BytesIO(bulk_workbook(rows)), form=v2)
    assert [e.message for e in result.errors] == [
        "Лист «Данные», строка 2: у ЦБС г. Юрги уже есть отчёт за июль 2026 г. по версии 1 "
        "формы; за месяц подаётся один отчёт, а файл читается как версия 2."
    ]
    assert Report.objects.filter(organization=cbs).count() == 1


def test_the_admin_cannot_add_a_second_report_for_a_month(client, cbs, centre_methodist):
    july_v1 = accepted_july(cbs)
    v2 = approved_v2()
    client.force_login(centre_methodist)
    response = client.post(
        "/admin/stats/report/add/",
        {"organization": cbs.pk, "form": v2.pk, "period": july_v1.period.pk},
    )
    assert response.status_code == 200
    assert "У ЦБС г. Юрги уже есть отчёт за июль 2026 г." in page_text(response)
    assert Report.objects.filter(organization=cbs).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_sets_aside_duplicates_deterministically_and_deletes_nothing(
    migrated_data,
):
    """Two accepted reports of one month on two versions (what the old code let through):
    the one accepted first stays and counts; the other keeps its figures, set aside with
    a status change saying which report counts."""
    executor = MigrationExecutor(connection)
    executor.migrate([("stats", "0007_report_form_code")])
    try:
        old = executor.loader.project_state([("stats", "0007_report_form_code")]).apps
        Organization = old.get_model("members", "Organization")
        OldForm, OldReport = (
            old.get_model("stats", "FormTemplate"),
            old.get_model("stats", "Report"),
        )
        OldPeriod, OldValue = (
            old.get_model("stats", "ReportingPeriod"),
            old.get_model("stats", "Value"),
        )
        organization = Organization.objects.create(short_name="ЦБС дублей")
        v1 = OldForm.objects.get(code="VS", version=1)
        v2 = OldForm.objects.create(
            code="VS", version=2, name="Внестационарное обслуживание", status="draft"
        )
        july = OldPeriod.objects.create(year=2026, month=7)
        first = OldReport.objects.create(
            organization=organization,
            form=v1,
            period=july,
            status="accepted",
            accepted_at=JULY_ACCEPTED,
        )
        second = OldReport.objects.create(
            organization=organization,
            form=v2,
            period=july,
            status="accepted",
            accepted_at=JULY_ACCEPTED + datetime.timedelta(days=3),
        )
        outdoor = old.get_model("stats", "Indicator").objects.get(code="VS.EVENTS.OUTDOOR")
        for report in (first, second):
            OldValue.objects.create(report=report, indicator=outdoor, value=39)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    kept, set_aside = Report.objects.get(pk=first.pk), Report.objects.get(pk=second.pk)
    assert (kept.status, kept.form_code) == ("accepted", "VS")
    assert set_aside.status == Report.Status.SUPERSEDED
    assert stored_values(set_aside) == {"VS.EVENTS.OUTDOOR": 39}  # nothing deleted
    [step] = set_aside.transitions.all()
    assert (step.from_status, step.to_status) == ("accepted", "superseded")
    assert f"учитывается отчёт № {first.pk} (версия формы 1)" in step.comment
    assert region_figures(year=2026).season.values["outdoor_events"] == 39


# Versions and the months they apply to --------------------------------------------------------


def test_an_operator_is_offered_the_version_that_applies_to_the_month(cbs, client):
    v2 = approved_v2(datetime.date(2026, 7, 1), name="Внестационарное обслуживание (2026)")
    v1 = form_v1()
    assert v1.valid_to == datetime.date(2026, 6, 1)  # approving v2 ended v1's open period
    client.force_login(make_operator(cbs, "operator-yurga"))
    page = page_text(client.get("/stats/reports/"))
    assert (
        "Версия формы — та, что действует в выбранном месяце: версия 1 — по июнь 2026 года; "
        "версия 2 — с июля 2026 года" in page
    )
    client.post("/stats/reports/new/", {"form": "VS", "year": "2026", "month": "6"})
    client.post("/stats/reports/new/", {"form": "VS", "year": "2026", "month": "7"})
    june = Report.objects.get(organization=cbs, period__month=6)
    july = Report.objects.get(organization=cbs, period__month=7)
    assert (june.form, july.form) == (v1, v2)
    # Only one form is offered, the newest name of the code: never a version to pick.
    form = NewReportForm(today=datetime.date(2026, 8, 3))
    assert form.fields["form"].choices == [("VS", "Внестационарное обслуживание (2026)")]


def test_a_version_asked_for_outside_its_period_is_refused(cbs):
    v2 = approved_v2(datetime.date(2026, 7, 1))
    with pytest.raises(WorkflowError) as refused:
        services.report_open(organization=cbs, year=2026, month=6, form=v2)
    assert str(refused.value.message) == (
        "Версия 2 формы действует с июля 2026 года; отчёт за июнь 2026 г. подаётся по версии 1."
    )
    draft = services.form_copy(form=v2)
    with pytest.raises(WorkflowError) as refused:
        services.report_open(organization=cbs, year=2026, month=8, form=draft)
    assert "Версия 3 формы — проект" in str(refused.value.message)
    assert not Report.objects.filter(organization=cbs).exists()


def test_last_years_figures_carry_across_versions_by_indicator(cbs, client):
    make_report(cbs, 2025, 7, LAST_JUNE, status=Report.Status.ACCEPTED)  # version 1
    v2 = approved_v2(datetime.date(2026, 1, 1))
    july = services.report_open(organization=cbs, year=2026, month=7, code="VS")
    assert july.form == v2
    client.force_login(make_operator(cbs, "operator-yurga"))
    assert "в прошлом году: 2400" in page_text(client.get(f"/stats/reports/{july.pk}/"))
    result = services.report_save_values(
        report=july, values={**CLEAN_JUNE, "VS.LOANS": LAST_JUNE["VS.LOANS"]}
    )
    assert ("VS.LOANS", "same_as_last_year") in {(f.indicator, f.code) for f in result.findings}


# Approving a version -----------------------------------------------------------------------------


@pytest.fixture
def centre_client(client, centre_methodist):
    client.force_login(centre_methodist)
    return client


def shown_messages(response) -> list[str]:
    """The messages the page shows, as text."""
    return [re.sub(r"<[^>]+>", "", str(m)) for m in response.context["messages"]]


def approve_url(form):
    return f"/admin/stats/formtemplate/{form.pk}/approve/"


def test_copy_the_previous_version_in_the_admin(centre_client):
    v1 = form_v1()
    page = centre_client.get(f"/admin/stats/formtemplate/{v1.pk}/change/")
    assert f'href="/admin/stats/formtemplate/{v1.pk}/copy/"' in page.content.decode()
    assert "Скопировать как новую версию" in page_text(page)
    response = centre_client.post(f"/admin/stats/formtemplate/{v1.pk}/copy/", follow=True)
    copy = FormTemplate.objects.get(code="VS", version=2)
    assert response.redirect_chain[-1][0] == f"/admin/stats/formtemplate/{copy.pk}/change/"
    assert "Версия 2 формы «Внестационарное обслуживание» — проект, копия версии 1" in page_text(
        response
    )
    assert copy.status == FormTemplate.Status.DRAFT and copy.valid_from is None
    assert list(copy.items.values_list("indicator__code", "order", "section")) == list(
        v1.items.values_list("indicator__code", "order", "section")
    )


def test_approving_checks_the_whole_form_and_shows_every_refusal(centre_client):
    draft = services.form_copy(form=form_v1())
    draft.items.filter(indicator__code="VS.EVENTS").delete()  # the whole of «из них» lines
    response = centre_client.post(approve_url(draft), {"approved_on": ""})
    assert response.status_code == 200
    text = page_text(response)
    assert "Пожалуйста, исправьте ошибки ниже." in text
    assert "Укажите дату утверждения." in text
    assert "Укажите, с какого месяца действует версия." in text
    assert (
        "Строка «из них под открытым небом» — часть («из них») показателя «Число мероприятий "
        "вне стационара», которого нет в форме: добавьте целое или уберите часть." in text
    )
    draft.refresh_from_db()
    assert draft.status == FormTemplate.Status.DRAFT

    # Fixed on the change page, then approved.
    FormItem.objects.create(form=draft, indicator=Indicator.objects.get(code="VS.EVENTS"), order=12)
    FormTemplate.objects.filter(pk=draft.pk).update(valid_from=datetime.date(2027, 1, 1))
    response = centre_client.post(approve_url(draft), {"approved_on": "20.12.2026"}, follow=True)
    assert shown_messages(response) == [
        "Версия 2 формы «Внестационарное обслуживание» утверждена; она действует с января "
        "2027 года. Версия 1 теперь действует по декабрь 2026 года."
    ]
    draft.refresh_from_db()
    assert draft.status == FormTemplate.Status.APPROVED
    assert draft.approved_on == datetime.date(2026, 12, 20)


def test_overlapping_periods_of_two_approved_versions_are_refused(centre_client):
    approved_v2(datetime.date(2026, 7, 1))
    v3 = services.form_copy(form=form_v1())
    FormTemplate.objects.filter(pk=v3.pk).update(
        valid_from=datetime.date(2026, 3, 1), valid_to=datetime.date(2026, 9, 1)
    )
    response = centre_client.post(approve_url(v3), {"approved_on": "01.12.2026"})
    text = page_text(response)
    assert (
        "Период пересекается с версией 1 той же формы, которая действует по июнь 2026 года: за "
        "месяц отчитываются только по одной версии." in text
    )
    assert "с версией 2 той же формы, которая действует с июля 2026 года" in text
    v3.refresh_from_db()
    assert v3.status == FormTemplate.Status.DRAFT


def test_the_period_is_typed_as_a_month_on_the_draft_s_page(centre_client):
    from tests.formscrape import form_data

    draft = services.form_copy(form=form_v1())
    url = f"/admin/stats/formtemplate/{draft.pk}/change/"
    data = form_data(centre_client.get(url).content.decode(), "formtemplate_form")
    data.update(valid_from="07.2027", valid_to="")
    response = centre_client.post(url, data, follow=True)
    assert shown_messages(response) == [
        "Форма отчёта «Внестационарное обслуживание, версия 2» изменена."
    ]
    draft.refresh_from_db()
    assert draft.valid_from == datetime.date(2027, 7, 1)
    assert 'value="07.2027"' in centre_client.get(url).content.decode()


def test_no_figure_above_the_ceiling_reaches_the_database(cbs):
    report = make_report(cbs, 2026, 3)
    loans = Indicator.objects.get(code="VS.LOANS")
    with pytest.raises(IntegrityError), transaction.atomic():
        Value.objects.create(report=report, indicator=loans, value=10**15 + 1)
    assert not Value.objects.filter(report=report).exists()
    assert form_v1().max_value == 10**9  # the form's own bound, below the ceiling
