"""The status ladder of a report: each step, its log row, and each refusal with its message."""

import datetime

import pytest

from stats import services
from stats.models import CheckResult, Report, ReportTransition, Value
from stats.services import WorkflowError
from tests.helpers import (
    CLEAN_JUNE,
    LAST_JUNE,
    make_operator,
    make_organization,
    make_report,
    stored_values,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    return make_organization("ЦБС Юргинского округа")


@pytest.fixture
def operator_user(organization):
    return make_operator(organization)


@pytest.fixture
def june(organization):
    make_report(organization, 2024, 6, LAST_JUNE, status=Report.Status.ACCEPTED)
    return make_report(organization, 2025, 6)


def submitted(report, user, values=CLEAN_JUNE):
    services.report_save_values(report=report, values=values, user=user)
    return services.report_submit(report=report, user=user)


def log(report):
    return list(
        ReportTransition.objects.filter(report=report).values_list(
            "from_status", "to_status", "user__username", "comment"
        )
    )


# Periods -----------------------------------------------------------------------------------


def test_period_is_due_on_the_fifth_of_the_next_month():
    assert services.period_for(year=2025, month=6).due_date == datetime.date(2025, 7, 5)
    assert services.period_for(year=2025, month=12).due_date == datetime.date(2026, 1, 5)
    assert services.period_for(year=2025, month=6) == services.period_for(year=2025, month=6)


# Saving ------------------------------------------------------------------------------------


def test_save_stores_values_and_check_results_and_bumps_the_version(june, operator_user):
    version = june.version
    result = services.report_save_values(
        report=june,
        values={**CLEAN_JUNE, "VS.VISITS.CHILD": 5000, "VS.LOANS": 5000},
        explanations={"VS.LOANS": "Новый пункт выдачи"},
        user=operator_user,
        expected_version=version,
    )
    june.refresh_from_db()
    assert june.version == version + 1
    assert stored_values(june)["VS.VISITS.CHILD"] == 5000
    assert Value.objects.get(report=june, indicator__code="VS.LOANS").explanation == (
        "Новый пункт выдачи"
    )
    assert ("VS.VISITS.CHILD", "part_above_whole", "hard") in {
        (f.indicator, f.code, f.severity) for f in result.findings
    }
    assert CheckResult.objects.filter(
        report=june, indicator__code="VS.VISITS.CHILD", code="part_above_whole"
    ).exists()
    assert june.status == Report.Status.DRAFT


def test_a_stale_version_is_refused_naming_who_saved_by_full_name(june, operator_user):
    colleague = make_operator(june.organization, "kollega")
    colleague.first_name, colleague.last_name = "Ольга", "Смирнова"
    colleague.save()
    services.report_save_values(report=june, values=CLEAN_JUNE, user=colleague)
    with pytest.raises(WorkflowError) as refused:
        services.report_save_values(
            report=june,
            values={**CLEAN_JUNE, "VS.LOANS": 1},
            user=operator_user,
            expected_version=1,
        )
    message = str(refused.value.message)
    assert message.startswith(
        "Пока вы редактировали отчёт, в нём были сохранены другие значения (Ольга Смирнова, "
    )
    assert "Ваши значения не сохранены" in message
    assert "kollega" not in message
    assert stored_values(june)["VS.LOANS"] == CLEAN_JUNE["VS.LOANS"]


def test_a_stale_version_saved_by_the_same_user_says_it_was_another_tab(june, operator_user):
    operator_user.first_name, operator_user.last_name = "Мария", "Иванова"
    operator_user.save()
    services.report_save_values(report=june, values=CLEAN_JUNE, user=operator_user)
    with pytest.raises(WorkflowError) as refused:
        services.report_save_values(
            report=june,
            values={**CLEAN_JUNE, "VS.LOANS": 1},
            user=operator_user,
            expected_version=1,
        )
    message = str(refused.value.message)
    assert message.startswith(
        "Пока вы редактировали отчёт здесь, вы сами сохранили его в другой вкладке или окне"
    )
    assert "Мария Иванова" not in message
    assert stored_values(june)["VS.LOANS"] == CLEAN_JUNE["VS.LOANS"]


def test_saving_an_accepted_report_is_refused(june, operator_user, centre_methodist):
    submitted(june, operator_user)
    services.report_accept(report=june, user=centre_methodist)
    with pytest.raises(WorkflowError) as refused:
        services.report_save_values(report=june, values={"VS.LOANS": 1}, user=operator_user)
    assert str(refused.value.message) == (
        "Отчёт в статусе «принят»: его показатели больше нельзя изменить."
    )
    assert stored_values(june) == CLEAN_JUNE


# Submitting --------------------------------------------------------------------------------


def test_submit_is_refused_while_a_part_is_above_its_whole(june, operator_user):
    services.report_save_values(
        report=june, values={**CLEAN_JUNE, "VS.EVENTS.OUTDOOR": 99}, user=operator_user
    )
    with pytest.raises(WorkflowError) as refused:
        services.report_submit(report=june, user=operator_user)
    assert str(refused.value.message) == "В отчёте есть ошибки: исправьте их перед сдачей."
    assert [f.indicator for f in refused.value.findings] == ["VS.EVENTS.OUTDOOR"]
    june.refresh_from_db()
    assert june.status == Report.Status.DRAFT
    assert log(june) == []


def test_submit_needs_every_warning_explained(june, operator_user):
    jump = {**CLEAN_JUNE, "VS.VISITS": 5000}
    services.report_save_values(report=june, values=jump, user=operator_user)
    with pytest.raises(WorkflowError) as refused:
        services.report_submit(report=june, user=operator_user)
    assert str(refused.value.message) == "Перед сдачей поясните каждое предупреждение."
    assert [(f.indicator, f.code) for f in refused.value.findings] == [("VS.VISITS", "jump")]

    services.report_save_values(
        report=june,
        values=jump,
        explanations={"VS.VISITS": "Открыли летний читальный зал в парке"},
        user=operator_user,
    )
    services.report_submit(report=june, user=operator_user)
    june.refresh_from_db()
    assert june.status == Report.Status.SUBMITTED
    assert june.submitted_at is not None
    assert log(june) == [("draft", "submitted", operator_user.username, "")]


def test_submitted_report_cannot_be_submitted_again(june, operator_user):
    submitted(june, operator_user)
    with pytest.raises(WorkflowError) as refused:
        services.report_submit(report=june, user=operator_user)
    assert str(refused.value.message) == "Отчёт в статусе «сдан» нельзя сдать."


# The centre's steps ------------------------------------------------------------------------


def test_return_needs_a_comment(june, operator_user, centre_methodist):
    submitted(june, operator_user)
    with pytest.raises(WorkflowError) as refused:
        services.report_return(report=june, user=centre_methodist, comment="   ")
    assert str(refused.value.message) == "Напишите комментарий для библиотеки: что нужно исправить."
    june.refresh_from_db()
    assert june.status == Report.Status.SUBMITTED
    assert len(log(june)) == 1


def test_return_with_a_comment_is_logged_and_the_report_can_be_corrected(
    june, operator_user, centre_methodist
):
    submitted(june, operator_user)
    services.report_return(
        report=june, user=centre_methodist, comment="Проверьте число выездов КИБО."
    )
    june.refresh_from_db()
    assert june.status == Report.Status.RETURNED
    assert june.comment == "Проверьте число выездов КИБО."
    assert june.is_editable
    services.report_save_values(
        report=june, values={**CLEAN_JUNE, "VS.KIBO_TRIPS": 4}, user=operator_user
    )
    services.report_submit(report=june, user=operator_user)
    assert log(june) == [
        ("draft", "submitted", operator_user.username, ""),
        ("submitted", "returned", centre_methodist.username, "Проверьте число выездов КИБО."),
        ("returned", "submitted", operator_user.username, ""),
    ]


def test_accept_then_lock_are_logged(june, operator_user, centre_methodist):
    submitted(june, operator_user)
    services.report_accept(report=june, user=centre_methodist)
    june.refresh_from_db()
    assert june.status == Report.Status.ACCEPTED and june.accepted_at is not None
    services.report_lock(report=june, user=centre_methodist)
    june.refresh_from_db()
    assert june.status == Report.Status.LOCKED
    assert log(june)[1:] == [
        ("submitted", "accepted", centre_methodist.username, ""),
        ("accepted", "locked", centre_methodist.username, ""),
    ]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (services.report_accept, "Отчёт в статусе «черновик» нельзя принять."),
        (services.report_lock, "Отчёт в статусе «черновик» нельзя закрыть."),
    ],
)
def test_a_draft_cannot_be_accepted_or_locked(june, centre_methodist, step, message):
    with pytest.raises(WorkflowError) as refused:
        step(report=june, user=centre_methodist)
    assert str(refused.value.message) == message
    june.refresh_from_db()
    assert june.status == Report.Status.DRAFT
    assert log(june) == []


def test_a_draft_cannot_be_returned(june, centre_methodist):
    with pytest.raises(WorkflowError) as refused:
        services.report_return(report=june, user=centre_methodist, comment="Исправьте")
    assert str(refused.value.message) == ("Отчёт в статусе «черновик» нельзя вернуть на доработку.")


def test_reopen_needs_a_reason(june, operator_user, centre_methodist):
    submitted(june, operator_user)
    services.report_accept(report=june, user=centre_methodist)
    with pytest.raises(WorkflowError) as refused:
        services.report_reopen(report=june, user=centre_methodist, reason="")
    assert str(refused.value.message) == (
        "Укажите причину, по которой принятый отчёт открывается заново."
    )
    june.refresh_from_db()
    assert june.status == Report.Status.ACCEPTED


@pytest.mark.parametrize("status", [Report.Status.ACCEPTED, Report.Status.LOCKED])
def test_reopen_from_accepted_or_locked_returns_the_report(
    june, operator_user, centre_methodist, status
):
    submitted(june, operator_user)
    services.report_accept(report=june, user=centre_methodist)
    if status == Report.Status.LOCKED:
        services.report_lock(report=june, user=centre_methodist)
    services.report_reopen(
        report=june, user=centre_methodist, reason="Библиотека нашла ошибку в посещениях."
    )
    june.refresh_from_db()
    assert june.status == Report.Status.RETURNED
    assert june.accepted_at is None
    assert june.comment == "Библиотека нашла ошибку в посещениях."
    assert log(june)[-1] == (
        status,
        "returned",
        centre_methodist.username,
        "Библиотека нашла ошибку в посещениях.",
    )


@pytest.mark.parametrize("status", [Report.Status.DRAFT, Report.Status.SUBMITTED])
def test_reopen_only_from_accepted_or_locked(june, operator_user, centre_methodist, status):
    if status == Report.Status.SUBMITTED:
        submitted(june, operator_user)
    with pytest.raises(WorkflowError) as refused:
        services.report_reopen(report=june, user=centre_methodist, reason="Причина")
    label = {"draft": "черновик", "submitted": "сдан"}[status]
    assert str(refused.value.message) == f"Отчёт в статусе «{label}» нельзя открыть заново."
    june.refresh_from_db()
    assert june.status == status


def test_every_change_of_a_figure_is_kept_with_who_and_when(db):
    from stats import services
    from stats.models import FormTemplate, Value
    from tests.helpers import make_organization, make_user

    user = make_user("history-operator", staff=False)
    organization = make_organization("ЦБС истории")
    form = FormTemplate.objects.get(code="VS", version=1)
    report = services.report_get_or_create(
        organization=organization, form=form, period=services.period_for(year=2025, month=7)
    )
    services.report_save_values(report=report, values={"VS.EVENTS": 10}, user=user)
    services.report_save_values(report=report, values={"VS.EVENTS": 12}, user=user)
    value = Value.objects.get(report=report, indicator__code="VS.EVENTS")
    changes = list(value.history.order_by("history_date").values_list("value", "history_user"))
    assert changes == [(10, user.pk), (12, user.pk)]
    assert report.history.count() >= 2
