"""Writes of the statistics workflow: saving figures, moving a report along its ladder.

Every function is one transaction and logs the transition it makes with who and when.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .checks import Finding, run_checks
from .models import CheckResult, Report, ReportingPeriod, ReportTransition, Value
from .selectors import form_items, last_year_values, last_year_values_for, parents_of

NOT_EDITABLE = gettext_lazy(
    "The report has the status «%(status)s»: its figures can no longer be changed."
)
STALE_VERSION = gettext_lazy(
    "The report was changed by %(user)s at %(time)s while you were editing it. "
    "Your figures were not saved; reload the report and enter them again."
)
CANNOT_SUBMIT = gettext_lazy("A report with the status «%(status)s» cannot be submitted.")
CANNOT_RETURN = gettext_lazy(
    "A report with the status «%(status)s» cannot be returned for correction."
)
CANNOT_ACCEPT = gettext_lazy("A report with the status «%(status)s» cannot be accepted.")
CANNOT_LOCK = gettext_lazy("A report with the status «%(status)s» cannot be locked.")
CANNOT_REOPEN = gettext_lazy("A report with the status «%(status)s» cannot be reopened.")
COMMENT_REQUIRED = gettext_lazy("Write a comment for the library: what must be corrected.")
REASON_REQUIRED = gettext_lazy("Write the reason for reopening an accepted report.")
HARD_ERRORS = gettext_lazy("The report has errors; correct them before submitting.")
UNEXPLAINED = gettext_lazy("Explain every warning before submitting.")


class WorkflowError(Exception):
    """A refused step, with a message for the person who tried it."""

    def __init__(self, message, findings=()):
        super().__init__(message)
        self.message = message
        self.findings = list(findings)


@dataclass
class SaveResult:
    report: Report
    findings: list[Finding]


def period_new(*, year: int, month: int) -> ReportingPeriod:
    """An unsaved reporting period with its default due date."""
    return ReportingPeriod(
        year=year, month=month, due_date=ReportingPeriod.default_due_date(year, month)
    )


def period_for(*, year: int, month: int) -> ReportingPeriod:
    period, _created = ReportingPeriod.objects.get_or_create(
        year=year, month=month, defaults={"due_date": period_new(year=year, month=month).due_date}
    )
    return period


def report_get_or_create(*, organization, form, period) -> Report:
    report, _created = Report.objects.get_or_create(
        organization=organization, form=form, period=period
    )
    return report


def _log(report, from_status, to_status, user, comment=""):
    ReportTransition.objects.create(
        report=report, from_status=from_status, to_status=to_status, user=user, comment=comment
    )


def _locked_report(report) -> Report:
    # Row lock: two saves or imports of one report run one after the other.
    return Report.objects.select_for_update().select_related("form", "period").get(pk=report.pk)


def report_findings(report: Report, values: dict[str, int | None]) -> list[Finding]:
    items = form_items(report.form)
    return run_checks(
        values,
        last_year_values(report),
        parents=parents_of(items),
        month=report.period.month,
    )


@transaction.atomic
def report_save_values(
    *,
    report: Report,
    values: dict[str, int | None],
    explanations: dict[str, str] | None = None,
    user=None,
    expected_version: int | None = None,
) -> SaveResult:
    """Store the figures of a draft or returned report, whatever the checks say.

    The checks are run and stored as results; they stop submission, never saving, so
    typed figures are never lost. A stale expected_version (another tab saved first) is
    refused.
    """
    report = _locked_report(report)
    if not report.is_editable:
        raise WorkflowError(NOT_EDITABLE % {"status": report.get_status_display()})
    if expected_version is not None and expected_version != report.version:
        last = report.transitions.order_by("-at").first()
        raise WorkflowError(
            STALE_VERSION
            % {
                "user": (last.user if last and last.user else _("another user")),
                "time": timezone.localtime(report.updated_at).strftime("%H:%M"),
            }
        )
    return reports_save_values(
        [FiguresToSave(report, values, explanations or {})], user=user, locked=True
    )[0]


@dataclass
class FiguresToSave:
    """One report's figures for reports_save_values: every figure of the form, by code."""

    report: Report
    values: dict[str, int | None]
    explanations: dict[str, str]


@transaction.atomic
def reports_save_values(
    saves: list[FiguresToSave],
    *,
    user=None,
    locked: bool = False,
    last_year_overlay: dict | None = None,
) -> list[SaveResult]:
    """report_save_values for many reports of one form at once, in a constant number of queries.

    The reports must be editable and, unless `locked`, are locked here (in id order, so two
    writers cannot deadlock). `last_year_overlay` gives figures written in the same
    transaction, by the (organisation id, year, month) of their own report: a bulk import
    of two years checks the second against the first as the file gives it.
    """
    if not saves:
        return []
    forms = {save.report.form_id for save in saves}
    if len(forms) != 1:
        raise ValueError("reports_save_values saves the reports of one form at a time")
    ids = [save.report.pk for save in saves]
    if not locked:
        fresh = {
            r.pk: r
            for r in Report.objects.select_for_update(of=("self",))
            .select_related("form", "period")
            .filter(pk__in=ids)
            .order_by("pk")
        }
        for save in saves:
            save.report = fresh[save.report.pk]
            if not save.report.is_editable:
                raise WorkflowError(NOT_EDITABLE % {"status": save.report.get_status_display()})
    items = form_items(saves[0].report.form)
    indicators = {item.indicator.code: item.indicator for item in items}
    parents = parents_of(items)
    existing: dict[int, dict[int, Value]] = {pk: {} for pk in ids}
    for row in Value.objects.filter(report_id__in=ids):
        existing[row.report_id][row.indicator_id] = row
    keys = {
        r.pk: (r.organization_id, r.period.year, r.period.month)
        for r in (save.report for save in saves)
    }
    last_years = last_year_values_for(keys.values())
    overlay = last_year_overlay or {}
    for organization, year, month in keys.values():
        figures = overlay.get((organization, year - 1, month))
        if figures:
            key = (organization, year, month)
            last_years[key] = last_years[key] | figures

    to_create, to_update, checks, results = [], [], [], []
    now = timezone.now()
    for save in saves:
        report = save.report
        stored = existing[report.pk]
        for code, indicator in indicators.items():
            value = save.values.get(code)
            explanation = (save.explanations.get(code) or "").strip()
            row = stored.get(indicator.pk)
            if row is None:
                to_create.append(
                    Value(report=report, indicator=indicator, value=value, explanation=explanation)
                )
            elif row.value != value or row.explanation != explanation:
                row.value, row.explanation = value, explanation
                to_update.append(row)
        current = {code: save.values.get(code) for code in indicators}
        findings = run_checks(
            current, last_years[keys[report.pk]], parents=parents, month=report.period.month
        )
        checks += [
            CheckResult(
                report=report,
                indicator=indicators[f.indicator],
                code=f.code,
                severity=f.severity,
                message=f.message,
            )
            for f in findings
            if f.indicator in indicators
        ]
        report.version += 1
        report.updated_at = now
        results.append(SaveResult(report=report, findings=findings))
    # With history: who changed which figure when, bulk writes included.
    bulk_create_with_history(to_create, Value, default_user=user)
    bulk_update_with_history(to_update, Value, ["value", "explanation"], default_user=user)
    CheckResult.objects.filter(report_id__in=ids).delete()
    CheckResult.objects.bulk_create(checks)
    bulk_update_with_history(
        [save.report for save in saves], Report, ["version", "updated_at"], default_user=user
    )
    return results


def unexplained(findings, explanations: dict[str, str]) -> list[Finding]:
    return [
        f for f in findings if not f.is_hard and not (explanations.get(f.indicator) or "").strip()
    ]


@transaction.atomic
def report_submit(*, report: Report, user) -> Report:
    """Draft or returned → submitted, when there is no error and every warning is explained."""
    report = _locked_report(report)
    if not report.is_editable:
        raise WorkflowError(CANNOT_SUBMIT % {"status": report.get_status_display()})
    stored = {v.indicator.code: v for v in report.values.select_related("indicator")}
    values = {code: v.value for code, v in stored.items()}
    findings = report_findings(report, values)
    hard = [f for f in findings if f.is_hard]
    if hard:
        raise WorkflowError(HARD_ERRORS, hard)
    missing = unexplained(findings, {code: v.explanation for code, v in stored.items()})
    if missing:
        raise WorkflowError(UNEXPLAINED, missing)
    previous = report.status
    report.status = Report.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.version += 1
    report.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    _log(report, previous, report.status, user)
    return report


@transaction.atomic
def report_return(*, report: Report, user, comment: str) -> Report:
    """Submitted → returned with the centre's comment."""
    report = _locked_report(report)
    if report.status != Report.Status.SUBMITTED:
        raise WorkflowError(CANNOT_RETURN % {"status": report.get_status_display()})
    if not comment.strip():
        raise WorkflowError(COMMENT_REQUIRED)
    report.status = Report.Status.RETURNED
    report.comment = comment.strip()
    report.version += 1
    report.save(update_fields=["status", "comment", "version", "updated_at"])
    _log(report, Report.Status.SUBMITTED, report.status, user, report.comment)
    return report


@transaction.atomic
def report_accept(*, report: Report, user) -> Report:
    """Submitted → accepted: from now on its figures count on /stats/."""
    report = _locked_report(report)
    if report.status != Report.Status.SUBMITTED:
        raise WorkflowError(CANNOT_ACCEPT % {"status": report.get_status_display()})
    report.status = Report.Status.ACCEPTED
    report.accepted_at = timezone.now()
    report.version += 1
    report.save(update_fields=["status", "accepted_at", "version", "updated_at"])
    _log(report, Report.Status.SUBMITTED, report.status, user)
    return report


@transaction.atomic
def report_lock(*, report: Report, user) -> Report:
    """Accepted → locked (the year is closed)."""
    report = _locked_report(report)
    if report.status != Report.Status.ACCEPTED:
        raise WorkflowError(CANNOT_LOCK % {"status": report.get_status_display()})
    report.status = Report.Status.LOCKED
    report.version += 1
    report.save(update_fields=["status", "version", "updated_at"])
    _log(report, Report.Status.ACCEPTED, report.status, user)
    return report


@transaction.atomic
def report_reopen(*, report: Report, user, reason: str) -> Report:
    """Accepted or locked → returned; only the centre does it, and says why."""
    report = _locked_report(report)
    if report.status not in (Report.Status.ACCEPTED, Report.Status.LOCKED):
        raise WorkflowError(CANNOT_REOPEN % {"status": report.get_status_display()})
    if not reason.strip():
        raise WorkflowError(REASON_REQUIRED)
    previous = report.status
    report.status = Report.Status.RETURNED
    report.comment = reason.strip()
    report.accepted_at = None
    report.version += 1
    report.save(update_fields=["status", "comment", "accepted_at", "version", "updated_at"])
    _log(report, previous, report.status, user, report.comment)
    return report
