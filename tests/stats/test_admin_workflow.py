"""The centre's admin goes through the workflow, never around it, and speaks Russian.

A report's status, period, organisation and form change only through stats/services.py;
its history is read, never restored; an approved form's rows and headings never change;
every error the admin reports is on the page; titles and messages are whole Russian
sentences in the right case and gender.
"""

import datetime
import html
import json
import re

import pytest
from django.urls import reverse

from stats import services
from stats.models import (
    FormItem,
    FormTemplate,
    FrozenFormError,
    Indicator,
    Report,
    ReportingPeriod,
    ReportTransition,
    WorkflowBypassError,
)
from tests.formscrape import form_data
from tests.helpers import (
    CLEAN_JUNE,
    LAST_JUNE,
    form_v1,
    make_operator,
    make_organization,
    make_report,
)
from tests.stats.test_entry import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_client(client, centre_methodist):
    client.force_login(centre_methodist)
    return client


@pytest.fixture
def cbs():
    return make_organization("ЦБС г. Юрги")


@pytest.fixture
def accepted_june(cbs, centre_methodist):
    operator = make_operator(cbs, "operator-yurga")
    operator.first_name, operator.last_name = "Мария", "Иванова"
    operator.save()
    make_report(cbs, 2024, 6, LAST_JUNE, status=Report.Status.ACCEPTED)
    report = make_report(cbs, 2025, 6)
    services.report_save_values(report=report, values=CLEAN_JUNE, user=operator)
    services.report_submit(report=report, user=operator)
    return services.report_accept(report=report, user=centre_methodist)


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def errors_on_page(html: str) -> list[str]:
    """The texts of every error list the admin page shows."""
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return [
        re.sub(r"<[^>]+>", "", li).strip()
        for ul in lists
        for li in re.findall(r"<li>(.*?)</li>", ul, re.S)
    ]


# The status, period, organisation and form of a report -----------------------------------------


def test_the_admin_cannot_move_an_accepted_report_to_another_month_organisation_or_form(
    centre_client, accepted_june
):
    url = change_url(accepted_june)
    body = centre_client.get(url).content.decode()
    for name in ("organization", "form", "period", "status"):
        assert f'name="{name}"' not in body
    other = make_organization("МИБС Тайги")
    july = services.period_for(year=2025, month=7)
    data = form_data(body, "report_form") | {
        "organization": str(other.pk),
        "period": str(july.pk),
        "status": "submitted",
    }
    centre_client.post(url, data)
    accepted_june.refresh_from_db()
    assert (accepted_june.organization.short_name, accepted_june.period.month) == ("ЦБС г. Юрги", 6)
    assert accepted_june.status == Report.Status.ACCEPTED


def test_a_report_refuses_a_workflow_change_saved_outside_the_services(accepted_june):
    accepted_june.period = services.period_for(year=2025, month=7)
    with pytest.raises(WorkflowBypassError):
        accepted_june.save()
    accepted_june.refresh_from_db()
    accepted_june.status = Report.Status.SUBMITTED
    with pytest.raises(WorkflowBypassError):
        accepted_june.save(update_fields=["status"])
    accepted_june.refresh_from_db()
    assert (accepted_june.status, accepted_june.period.month) == (Report.Status.ACCEPTED, 6)
    accepted_june.comment = "Проверено."
    accepted_june.save()  # what is no step of the workflow still saves


def test_a_report_handed_in_is_never_deleted(superuser, client, accepted_june):
    client.force_login(superuser)
    delete = reverse("admin:stats_report_delete", args=[accepted_june.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:stats_report_changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist
    with pytest.raises(WorkflowBypassError):
        accepted_june.delete()
    assert Report.objects.filter(pk=accepted_june.pk).exists()
    draft = make_report(accepted_june.organization, 2025, 8)
    response = client.post(
        reverse("admin:stats_report_delete", args=[draft.pk]), {"post": "yes"}, follow=True
    )
    assert not Report.objects.filter(pk=draft.pk).exists()
    assert [re.sub(r"<[^>]+>", "", str(m)) for m in response.context["messages"]] == [
        f"Отчёт «{draft}» удалён."
    ]


def test_restoring_a_report_s_history_is_refused_and_leaves_no_trace(centre_client, accepted_june):
    submitted = accepted_june.history.filter(status=Report.Status.SUBMITTED).earliest(
        "history_date"
    )
    url = reverse("admin:stats_report_simple_history", args=[accepted_june.pk, submitted.pk])
    page = centre_client.get(url)
    assert page.status_code == 200
    assert "Восстановить" not in page_text(page)
    steps = ReportTransition.objects.filter(report=accepted_june).count()
    response = centre_client.post(url, {"status": "submitted"}, follow=True)
    assert (
        "История отчёта — только для чтения: статус, период, организация и форма отчёта "
        "меняются лишь на страницах проверки" in page_text(response)
    )
    accepted_june.refresh_from_db()
    assert accepted_june.status == Report.Status.ACCEPTED
    assert ReportTransition.objects.filter(report=accepted_june).count() == steps


def test_the_report_s_history_reads_in_russian_with_local_times_and_names(
    centre_client, accepted_june
):
    response = centre_client.get(reverse("admin:stats_report_history", args=[accepted_june.pk]))
    text = page_text(response)
    assert "Что изменилось" in text and "CHANGES" not in text.upper().replace("ЧТО ИЗМЕНИЛОСЬ", "")
    assert "Статус: черновик → сдан" in text
    assert "Статус: сдан → принят" in text
    assert "Мария Иванова" in text
    for raw in ("None", "submitted", "accepted", "+00:00", "UTC", "draft"):
        assert raw not in text, raw
    # Times as the portal's clock reads them (Asia/Novokuznetsk, UTC+7).
    local = accepted_june.accepted_at.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert f"{local:%H:%M}" in text


# An approved form ----------------------------------------------------------------------------


def test_an_approved_form_s_rows_and_headings_never_change():
    v1 = form_v1()
    item = v1.items.get(indicator__code="VS.LOANS")
    item.section = "Другой раздел"
    with pytest.raises(FrozenFormError):
        item.save()
    with pytest.raises(FrozenFormError):
        item.delete()
    with pytest.raises(FrozenFormError):
        FormItem.objects.create(form=v1, indicator=Indicator.objects.create(code="X", name="X"))
    v1.status = FormTemplate.Status.DRAFT
    with pytest.raises(FrozenFormError):
        v1.save()
    v1.refresh_from_db()
    v1.name = "Другое название"
    with pytest.raises(FrozenFormError):
        v1.save()
    with pytest.raises(FrozenFormError):
        form_v1().delete()
    loans = Indicator.objects.get(code="VS.LOANS")
    loans.kind = Indicator.Kind.STOCK
    with pytest.raises(FrozenFormError):
        loans.save()
    assert form_v1().status == FormTemplate.Status.APPROVED
    assert FormItem.objects.get(pk=item.pk).section == "Пользователи, посещения, выдача"
    assert Indicator.objects.get(code="VS.LOANS").kind == Indicator.Kind.FLOW


def test_an_approved_form_is_read_only_in_the_admin(centre_client):
    v1 = form_v1()
    body = centre_client.get(change_url(v1)).content.decode()
    for name in ("name", "code", "version", "status", "valid_from", "items-0-order"):
        assert f'name="{name}"' not in body
    assert "Эта версия утверждена: её строки и разделы больше не меняются." in page_text(
        centre_client.get(change_url(v1))
    )
    draft = services.form_copy(form=v1)
    body = centre_client.get(change_url(draft)).content.decode()
    assert 'name="items-0-order"' in body and 'name="status"' not in body
    assert f'href="/admin/stats/formtemplate/{draft.pk}/approve/"' in body


# Every error the admin reports is on the page ---------------------------------------------------


def test_a_refused_save_of_a_form_never_loops_without_an_error(centre_client):
    """The issue's loop: a draft posted as «approved» without a date was refused, its rows
    turned read-only in memory, and every later save said «please correct the errors»
    with nothing to correct. Now the status is not on the page (a version is approved on
    its own page), its rows stay editable, and every refusal shows its reason."""
    draft = services.form_copy(form=form_v1())
    url = change_url(draft)
    data = form_data(centre_client.get(url).content.decode(), "formtemplate_form")
    data.update(status="approved", approved_on="")
    # A duplicate row: a real error, next to the rows.
    data["items-1-indicator"] = data["items-0-indicator"]
    first = centre_client.post(url, data)
    assert first.status_code == 200
    html = first.content.decode()
    assert "Пожалуйста, исправьте" in html and errors_on_page(html)
    # The page posted back as the browser shows it: the rows are still there to correct.
    again = form_data(html, "formtemplate_form")
    assert "items-0-order" in again
    again["items-1-indicator"] = str(Indicator.objects.get(code="VS.OUT_SITES").pk)
    second = centre_client.post(url, again)
    assert second.status_code == 302, errors_on_page(second.content.decode())
    draft.refresh_from_db()
    assert draft.status == FormTemplate.Status.DRAFT  # approved only on its page


def test_an_error_on_no_field_of_the_page_is_shown_too(centre_client):
    draft = services.form_copy(form=form_v1())
    url = change_url(draft)
    data = form_data(centre_client.get(url).content.decode(), "formtemplate_form")
    data["items-0-id"] = "999999"  # a row that is not this form's (a hidden field)
    response = centre_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "Пожалуйста, исправьте" in html
    assert 'id="unshown-errors"' in html
    assert "Строки формы, строка 1" in page_text(response)


# Titles and messages, in the right case and gender -------------------------------------------


def add_data(client, url, form_id, **changes):
    data = form_data(client.get(url).content.decode(), form_id)
    data.update(changes)
    return data


STATS_ADMIN_PAGES = [
    # model, changelist title, add title, change title
    (Indicator, "Выберите показатель для изменения", "Добавить показатель", "Изменить показатель"),
    (
        FormTemplate,
        "Выберите форму отчёта для изменения",
        "Добавить форму отчёта",
        "Изменить форму отчёта",
    ),
    (
        ReportingPeriod,
        "Выберите отчётный период для изменения",
        "Добавить отчётный период",
        "Изменить отчётный период",
    ),
    (Report, "Выберите отчёт для изменения", "Добавить отчёт", "Изменить отчёт"),
]


@pytest.mark.parametrize(
    ("model", "listing", "adding", "changing"), STATS_ADMIN_PAGES, ids=lambda v: str(v)[:20]
)
def test_every_stats_admin_page_is_titled_in_the_right_case(
    superuser, client, model, listing, adding, changing
):
    client.force_login(superuser)
    make_report(make_organization("ЦБС заголовков"), 2025, 6)
    meta = model._meta
    changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert f"<h1>{listing}</h1>" in changelist.content.decode()
    assert adding in page_text(changelist)  # the «add» button
    add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    assert f"<h1>{adding}</h1>" in add.content.decode()
    assert f"&rsaquo; {adding}" in add.content.decode()  # the breadcrumb
    change = client.get(change_url(model.objects.order_by("pk").last()))
    assert f"<h1>{changing}</h1>" in change.content.decode()
    for wrong in ("Изменить форма", "Добавить форма", "Выберите форма", "еще один", "успешно"):
        assert wrong not in page_text(changelist) + page_text(add) + page_text(change)


def test_adding_and_changing_say_so_in_the_model_s_gender(superuser, client):
    client.force_login(superuser)
    url = reverse("admin:stats_reportingperiod_add")
    response = client.post(
        url, add_data(client, url, "reportingperiod_form", year="2031", month="3"), follow=True
    )
    assert [re.sub(r"<[^>]+>", "", str(m)) for m in response.context["messages"]] == [
        "Отчётный период «03.2031» добавлен."
    ]
    period = ReportingPeriod.objects.get(year=2031, month=3)
    url = change_url(period)
    data = add_data(client, url, "reportingperiod_form", due_date="05.04.2031", _continue="1")
    response = client.post(url, data, follow=True)
    assert [re.sub(r"<[^>]+>", "", str(m)) for m in response.context["messages"]] == [
        "Отчётный период «03.2031» изменён. Ниже можно продолжить редактирование."
    ]
    draft = services.form_copy(form=form_v1())
    url = change_url(draft)
    response = client.post(url, add_data(client, url, "formtemplate_form"), follow=True)
    assert [re.sub(r"<[^>]+>", "", str(m)) for m in response.context["messages"]] == [
        "Форма отчёта «Внестационарное обслуживание, версия 2» изменена."
    ]
    indicator_url = reverse("admin:stats_indicator_add")
    data = add_data(client, indicator_url, "indicator_form", code="VS.NEW", name="Новый показатель")
    response = client.post(indicator_url, data, follow=True)
    assert [re.sub(r"<[^>]+>", "", str(m)) for m in response.context["messages"]] == [
        "Показатель «VS.NEW — Новый показатель» добавлен."
    ]
    # The rows' «add another» link of a form's draft (the admin's script reads it).
    body = client.get(url).content.decode()
    inlines = [
        json.loads(html.unescape(i)) for i in re.findall(r'data-inline-formset="([^"]+)"', body)
    ]
    [rows] = [i for i in inlines if i["options"]["prefix"] == "items"]
    assert rows["options"]["addText"] == "Добавить ещё одну строку формы"
