"""Writes of the statistics workflow: saving figures, moving a report along its ladder.

Every function is one transaction and logs the transition it makes with who and when.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kernel.dates import long_moment

from .checks import HARD, Finding, run_checks
from .exporters import period_label
from .models import (
    CheckResult,
    CheckSettings,
    EntrySource,
    FormItem,
    FormTemplate,
    Report,
    ReportingPeriod,
    ReportTransition,
    Value,
)
from .selectors import (
    check_context,
    form_items,
    form_version_for,
    last_year_values,
    last_year_values_for,
    month_report,
    required_lines,
)

NOT_EDITABLE = gettext_lazy(
    "The report has the status «%(status)s»: its figures can no longer be changed."
)
STALE_VERSION = gettext_lazy(
    "While you were editing the report, other figures were saved in it (%(user)s, "
    "%(time)s). Your figures were not saved; reload the report and enter them again."
)
STALE_VERSION_SELF = gettext_lazy(
    "You saved this report yourself in another tab or window (%(time)s) while editing it "
    "here. The figures of this page were not saved; reload the report and enter them again."
)
STALE_VERSION_UNKNOWN = gettext_lazy(
    "While you were editing the report, other figures were saved in it (%(time)s). "
    "Your figures were not saved; reload the report and enter them again."
)
MONTH_ALREADY_ACCEPTED = gettext_lazy(
    "%(organization)s already has a report for %(period)s: «%(form)s», accepted on "
    "%(date)s. A second report for the same month would count its figures twice."
)
MONTH_ALREADY_OPEN = gettext_lazy(
    "%(organization)s already has a report for %(period)s: «%(form)s», with the status "
    "«%(status)s». A month has one report: continue in that one."
)
NO_VERSION = gettext_lazy(
    "No approved version of the form «%(form)s» applies to %(period)s, so a report for "
    "that month cannot be opened."
)
WRONG_VERSION = gettext_lazy(
    "Version %(version)s of the form applies %(applies)s; the report for %(period)s is made "
    "on version %(right)s."
)
WRONG_VERSION_NONE = gettext_lazy(
    "Version %(version)s of the form applies %(applies)s, and no approved version applies "
    "to %(period)s."
)
DRAFT_VERSION = gettext_lazy(
    "Version %(version)s of the form is a draft: reports are made only on an approved version."
)
CANNOT_WITHDRAW = gettext_lazy(
    "A report with the status «%(status)s» cannot be withdrawn: only a submitted report "
    "that the methodical centre has not reviewed yet can."
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
LINE_EMPTY = gettext_lazy("The line is empty: enter a figure (0 if there was nothing).")
# How many empty lines the refusal names before it says «and N more».
EMPTY_LINES_NAMED = 5


class WorkflowError(Exception):
    """A refused step, with a message for the person who tried it."""

    def __init__(self, message, findings=(), *, report=None):
        super().__init__(message)
        self.message = message
        self.findings = list(findings)
        # The report the refusal is about when it is not the one asked for (a month's
        # existing report, say): the page can link to it.
        self.report = report


def person_name(user) -> str:
    """A user as people know her: the full name, the login only when no name is set."""
    return (user.get_full_name() or "").strip() or user.get_username()


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


def _month_taken(existing: Report) -> WorkflowError:
    values = {
        "organization": existing.organization.short_name,
        "period": period_label(existing.period.year, existing.period.month),
        "form": existing.form,
    }
    if existing.is_counted and existing.accepted_at:
        message = MONTH_ALREADY_ACCEPTED % {
            **values,
            "date": formats.date_format(timezone.localtime(existing.accepted_at), "j E Y"),
        }
    else:
        message = MONTH_ALREADY_OPEN % {**values, "status": existing.get_status_display()}
    return WorkflowError(message, report=existing)


def _wrong_version(form: FormTemplate, applying: FormTemplate | None, year, month):
    if form.status != FormTemplate.Status.APPROVED:
        return WorkflowError(DRAFT_VERSION % {"version": form.version})
    values = {
        "version": form.version,
        "applies": form.period_display,
        "period": period_label(year, month),
    }
    if applying is None:
        return WorkflowError(WRONG_VERSION_NONE % values)
    return WorkflowError(WRONG_VERSION % {**values, "right": applying.version})


@transaction.atomic
def report_open(
    *,
    organization,
    year: int,
    month: int,
    code: str | None = None,
    form: FormTemplate | None = None,
) -> Report:
    """The organisation's report for a month on the form `code`: the one it has, or a new
    draft on the version that applies to the month.

    A month has one report whatever the form version (the database holds to it too): when
    the month already has a report on another version than the one asked for, the step is
    refused with a message naming that report. A version asked for must apply to the month.
    """
    code = code or form.code
    existing = month_report(organization.pk, code, year, month)
    if existing is not None:
        if form is None or existing.form_id == form.pk:
            return existing
        raise _month_taken(existing)
    applying = form_version_for(code, year, month)
    if form is not None and (applying is None or applying.pk != form.pk):
        raise _wrong_version(form, applying, year, month)
    return _report_create(organization, code, applying, year, month)


def report_open_refusal(*, organization, form: FormTemplate, year: int, month: int):
    """Why a new report on this version for the month cannot be made (a WorkflowError to
    show), or None: the month has a report already, or the version does not apply to it."""
    existing = month_report(organization.pk, form.code, year, month)
    if existing is not None:
        return _month_taken(existing)
    applying = form_version_for(form.code, year, month)
    if applying is None or applying.pk != form.pk:
        return _wrong_version(form, applying, year, month)
    return None


def _report_create(organization, code, applying, year, month) -> Report:
    if applying is None:
        name = FormTemplate.objects.approved().filter(code=code).order_by("-version").first()
        raise WorkflowError(
            NO_VERSION % {"form": name.name if name else code, "period": period_label(year, month)}
        )
    period = period_for(year=year, month=month)
    try:
        with transaction.atomic():
            return Report.objects.create(organization=organization, form=applying, period=period)
    except IntegrityError:
        # Opened at the same moment in another tab: that report is the month's.
        existing = month_report(organization.pk, code, year, month)
        if existing is None:
            raise
        if existing.form_id != applying.pk:
            raise _month_taken(existing) from None
        return existing


def report_get_or_create(*, organization, form, period) -> Report:
    """report_open for a form version and a period already in hand."""
    return report_open(organization=organization, year=period.year, month=period.month, form=form)


def _log(report, from_status, to_status, user, comment="", *, on_behalf=False):
    ReportTransition.objects.create(
        report=report,
        from_status=from_status,
        to_status=to_status,
        user=user,
        comment=comment,
        on_behalf=on_behalf,
    )


def _locked_report(report) -> Report:
    # Row lock: two saves or imports of one report run one after the other.
    return Report.objects.select_for_update().select_related("form", "period").get(pk=report.pk)


def report_findings(report: Report, values: dict[str, int | None], items=None) -> list[Finding]:
    items = items if items is not None else form_items(report.form)
    return run_checks(
        values,
        last_year_values(report),
        month=report.period.month,
        **check_context(report.form, items),
    )


def stale_message(report: Report, user) -> str:
    """Why a form of the report is stale: who saved the report last, by name, and when."""
    record = (
        report.history.select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    editor = record.history_user if record else None
    time = long_moment(record.history_date if record else report.updated_at)
    if editor is not None and getattr(user, "pk", None) == editor.pk:
        return STALE_VERSION_SELF % {"time": time}
    if editor is None:
        return STALE_VERSION_UNKNOWN % {"time": time}
    return STALE_VERSION % {"user": person_name(editor), "time": time}


@transaction.atomic
def report_save_values(
    *,
    report: Report,
    values: dict[str, int | None],
    explanations: dict[str, str] | None = None,
    user=None,
    expected_version: int | None = None,
    entry_source: EntrySource | str | None = None,
) -> SaveResult:
    """Store the figures of a draft or returned report, whatever the checks say.

    The checks are run and stored as results; they stop submission, never saving, so
    typed figures are never lost. A stale expected_version (another tab saved first) is
    refused. With entry_source the centre typed in what the library gave it (by phone, on
    paper): the report is marked as entered by the centre for the library, for both sides.
    """
    report = _locked_report(report)
    if not report.is_editable:
        raise WorkflowError(NOT_EDITABLE % {"status": report.get_status_display()})
    if expected_version is not None and expected_version != report.version:
        raise WorkflowError(stale_message(report, user))
    if entry_source:
        report.entered_by_centre = True
        report.entry_source = EntrySource(entry_source)
        report.save(update_fields=["entered_by_centre", "entry_source"])
    return report_batch_save_values(
        [FiguresToSave(report, values, explanations or {})], user=user, locked=True
    )[0]


@dataclass
class FiguresToSave:
    """One report's figures for report_batch_save_values: every figure of the form, by code."""

    report: Report
    values: dict[str, int | None]
    explanations: dict[str, str]


@transaction.atomic
def report_batch_save_values(
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
        raise ValueError("report_batch_save_values saves the reports of one form at a time")
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
    context = check_context(saves[0].report.form, items)
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
        current = {code: save.values.get(code) for code in indicators}
        findings = run_checks(
            current, last_years[keys[report.pk]], month=report.period.month, **context
        )
        # An explanation answers a warning: once the warning is gone, so is its
        # explanation (the centre would read it against figures it no longer explains).
        warned = {f.indicator for f in findings if not f.is_hard}
        for code, indicator in indicators.items():
            value = save.values.get(code)
            explanation = (save.explanations.get(code) or "").strip() if code in warned else ""
            row = stored.get(indicator.pk)
            if row is None:
                to_create.append(
                    Value(report=report, indicator=indicator, value=value, explanation=explanation)
                )
            elif row.value != value or row.explanation != explanation:
                row.value, row.explanation = value, explanation
                to_update.append(row)
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


def _empty_lines_refusal(empty: list[FormItem]) -> WorkflowError:
    named = ", ".join(f"«{item.indicator.name}»" for item in empty[:EMPTY_LINES_NAMED])
    rest = len(empty) - EMPTY_LINES_NAMED
    if rest > 0:
        message = ngettext(
            "Fill in every line before submitting; these are empty: %(lines)s and "
            "%(count)s more line. Zero is a figure too: enter 0 where there was nothing.",
            "Fill in every line before submitting; these are empty: %(lines)s and "
            "%(count)s more lines. Zero is a figure too: enter 0 where there was nothing.",
            rest,
        ) % {"lines": named, "count": rest}
    else:
        message = ngettext(
            "Fill in every line before submitting; this one is empty: %(lines)s. Zero is a "
            "figure too: enter 0 where there was nothing.",
            "Fill in every line before submitting; these are empty: %(lines)s. Zero is a "
            "figure too: enter 0 where there was nothing.",
            len(empty),
        ) % {"lines": named}
    findings = [Finding("empty_line", HARD, item.indicator.code, str(LINE_EMPTY)) for item in empty]
    return WorkflowError(message, findings)


@transaction.atomic
def report_submit(*, report: Report, user, on_behalf: bool = False, comment: str = "") -> Report:
    """Draft or returned → submitted, when every required line holds a figure, there is no
    error and every warning is explained.

    on_behalf: the centre submits what the library gave it by phone or on paper; the step is
    logged as the centre's for the library, with its note (who gave the figures, say).
    """
    report = _locked_report(report)
    if not report.is_editable:
        raise WorkflowError(CANNOT_SUBMIT % {"status": report.get_status_display()})
    stored = {v.indicator.code: v for v in report.values.select_related("indicator")}
    values = {code: v.value for code, v in stored.items()}
    items = form_items(report.form)
    empty = [item for item in required_lines(items) if values.get(item.indicator.code) is None]
    if empty:
        raise _empty_lines_refusal(empty)
    findings = report_findings(report, values, items)
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
    report.save(update_fields=["status", "submitted_at", "version", "updated_at"], workflow=True)
    _log(report, previous, report.status, user, comment.strip(), on_behalf=on_behalf)
    return report


@transaction.atomic
def report_withdraw(*, report: Report, user) -> Report:
    """Submitted → draft, by the library before the centre has reviewed it."""
    report = _locked_report(report)
    if report.status != Report.Status.SUBMITTED:
        raise WorkflowError(CANNOT_WITHDRAW % {"status": report.get_status_display()})
    report.status = Report.Status.DRAFT
    report.submitted_at = None
    report.version += 1
    report.save(update_fields=["status", "submitted_at", "version", "updated_at"], workflow=True)
    _log(report, Report.Status.SUBMITTED, report.status, user)
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
    report.save(update_fields=["status", "comment", "version", "updated_at"], workflow=True)
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
    report.save(update_fields=["status", "accepted_at", "version", "updated_at"], workflow=True)
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
    report.save(update_fields=["status", "version", "updated_at"], workflow=True)
    _log(report, Report.Status.ACCEPTED, report.status, user)
    return report


@transaction.atomic
def report_reopen(*, report: Report, user, reason: str) -> Report:
    """Accepted or locked → returned; only the centre does it, and says why."""
    report = _locked_report(report)
    if not report.is_counted:
        raise WorkflowError(CANNOT_REOPEN % {"status": report.get_status_display()})
    if not reason.strip():
        raise WorkflowError(REASON_REQUIRED)
    previous = report.status
    report.status = Report.Status.RETURNED
    report.comment = reason.strip()
    report.accepted_at = None
    report.version += 1
    report.save(
        update_fields=["status", "comment", "accepted_at", "version", "updated_at"], workflow=True
    )
    _log(report, previous, report.status, user, report.comment)
    return report


# --- Form versions ------------------------------------------------------------------------

ALREADY_APPROVED = gettext_lazy("This version of the form is already approved.")
NO_ROWS = gettext_lazy("The form has no rows: add the indicators it asks for.")
NO_START = gettext_lazy("Say from which month the version applies.")
NO_APPROVAL_DATE = gettext_lazy("Give the date of approval.")
WHOLE_MISSING = gettext_lazy(
    "The line «%(part)s» is a part («of which») of «%(whole)s», which is not in the form: "
    "add the whole or remove the part."
)
OVERLAPS = gettext_lazy(
    "The period overlaps version %(version)s of the same form, which applies %(applies)s: "
    "a month is reported on one version only."
)


class FormApprovalError(WorkflowError):
    """Every reason a version cannot be approved, each a whole sentence."""

    def __init__(self, messages):
        super().__init__(" ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


def _month_before(day: datetime.date) -> datetime.date:
    return (day - datetime.timedelta(days=1)).replace(day=1)


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    lowest, highest = datetime.date.min, datetime.date.max
    return (a_start or lowest) <= (b_end or highest) and (b_start or lowest) <= (a_end or highest)


@dataclass
class ApprovalResult:
    form: FormTemplate
    # The earlier version whose open period now ends the month before this one starts.
    ended: FormTemplate | None = None


@transaction.atomic
def form_approve(
    *, form: FormTemplate, approved_on: datetime.date | None, approved_by=None
) -> ApprovalResult:
    """Approve a draft version after checking it whole: rows, «of which» parts and their
    wholes, the period against the other approved versions of the same code.

    An earlier version open to the future ends the month before this one starts; any other
    overlap is refused. From now on the version, its rows and headings never change.
    """
    form = FormTemplate.objects.select_for_update().get(pk=form.pk)
    if form.status == FormTemplate.Status.APPROVED:
        raise FormApprovalError([ALREADY_APPROVED])
    problems = []
    if approved_on is None:
        problems.append(NO_APPROVAL_DATE)
    items = form_items(form)
    if not items:
        problems.append(NO_ROWS)
    present = {item.indicator_id for item in items}
    for item in items:
        whole = item.indicator.parent
        if whole is not None and whole.pk not in present:
            problems.append(WHOLE_MISSING % {"part": item.indicator.name, "whole": whole.name})
    ended = None
    if form.valid_from is None:
        problems.append(NO_START)
    else:
        others = list(
            FormTemplate.objects.approved()
            .select_for_update()
            .filter(code=form.code)
            .exclude(pk=form.pk)
            .order_by("pk")
        )
        for other in others:
            if other.valid_to is None and (
                other.valid_from is None or other.valid_from < form.valid_from
            ):
                ended = other
                ended.valid_to = _month_before(form.valid_from)
            if _overlap(form.valid_from, form.valid_to, other.valid_from, other.valid_to):
                problems.append(
                    OVERLAPS % {"version": other.version, "applies": other.period_display}
                )
    if problems:
        raise FormApprovalError(problems)
    if ended is not None:
        ended.save(update_fields=["valid_to"], workflow=True)
    form.status = FormTemplate.Status.APPROVED
    form.approved_on = approved_on
    form.approved_by = approved_by
    form.save(update_fields=["status", "approved_on", "approved_by"], workflow=True)
    return ApprovalResult(form=form, ended=ended)


@transaction.atomic
def form_copy(*, form: FormTemplate) -> FormTemplate:
    """A new draft version of the form with the same rows, headings, bound and check
    thresholds: the way to change an approved form. It applies from a month the centre sets
    before approving it."""
    latest = (
        FormTemplate.objects.select_for_update()
        .filter(code=form.code)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    copy = FormTemplate.objects.create(
        code=form.code,
        name=form.name,
        version=(latest or form.version) + 1,
        max_value=form.max_value,
    )
    FormItem.objects.bulk_create(
        [
            FormItem(
                form=copy,
                indicator_id=item.indicator_id,
                order=item.order,
                section=item.section,
                required=item.required,
            )
            for item in form.items.order_by("order", "pk")
        ]
    )
    # The thresholds travel with the rows; the copy's are the centre's to tune until approval.
    source = CheckSettings.objects.filter(form=form).first() or CheckSettings(form=form)
    CheckSettings.objects.create(
        form=copy,
        **{name: getattr(source, name) for name in CheckSettings.THRESHOLD_FIELDS},
    )
    return copy
