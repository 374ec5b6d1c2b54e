"""Many reports' figures from one workbook of rows: organisation, year, month, code, value."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from members.models import Organization

from ..checks import parse_whole_number
from ..exporters import (
    period_label,
)
from ..models import FormTemplate, ImportLog, Report, ReportingPeriod, Value
from ..selectors import form_items
from ..services import (
    FiguresToSave,
    WorkflowError,
    period_new,
    report_batch_save_values,
)
from .reading import (
    ImportIssue,
    ImportRejected,
    ImportResult,
    Place,
    bulk_limits,
    capped,
    cell_issue,
    cell_place,
    code_issue,
    filled_count,
    read_workbook,
    shown,
    uncomputed_formulas,
    value_issue,
)

logger = logging.getLogger(__name__)

# Columns of a bulk file: organisation (short name), year, month, indicator code, value.
BULK_COLUMNS = 5
BULK_VALUE_COLUMN = 5
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Reports saved together by a bulk import: the queries are counted per batch.
REPORTS_PER_BATCH = 50


@dataclass
class BulkRow:
    sheet: str
    row: int
    organization: str
    year: int
    month: int
    code: str
    value: int | None
    raw: object


@dataclass
class BulkGroup:
    """The rows of one organisation and month: one report's values."""

    organization: Organization
    year: int
    month: int
    values: dict[str, int | None] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    first: BulkRow | None = None


def _bulk_row_issue(kind: str, raw, sheet: str, row: int, column: int) -> ImportIssue:
    templates = {
        "no_organization": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: the organisation is not given."
        ),
        "unknown_organization": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: «%(value)s» is not the short "
            "name of an organisation on the portal."
        ),
        "bad_year": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: «%(value)s» is not a year."
        ),
        "bad_month": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: «%(value)s» is not a month "
            "number from 1 to 12."
        ),
    }
    where = cell_place(sheet, row, column)
    return ImportIssue(kind, templates[kind] % {**where, "value": shown(raw or "")}, **where)


def _whole_in(raw, low: int, high: int) -> int | None:
    value, error = parse_whole_number(raw)
    return value if error is None and value is not None and low <= value <= high else None


def _read_bulk(wb, codes: set[str], limit: int) -> tuple[list[BulkRow], list[ImportIssue]]:
    rows: list[BulkRow] = []
    issues: list[ImportIssue] = []
    for ws in wb.worksheets:
        if not hasattr(ws, "iter_rows"):
            continue  # a chart sheet
        title = ws.title
        cells = ws.iter_rows(min_row=2, max_col=BULK_COLUMNS, values_only=True)
        for number, row in enumerate(cells, start=2):
            row = (tuple(row) + (None,) * BULK_COLUMNS)[:BULK_COLUMNS]
            if all(cell is None or str(cell).strip() == "" for cell in row):
                continue
            raw_org, raw_year, raw_month, raw_code, raw_value = row
            organization = "" if raw_org is None else str(raw_org).strip()
            year = _whole_in(raw_year, FIRST_YEAR, LAST_YEAR)
            month = _whole_in(raw_month, 1, 12)
            code = "" if raw_code is None else str(raw_code).strip()
            row_issues = []
            if not organization:
                row_issues.append(_bulk_row_issue("no_organization", raw_org, title, number, 1))
            if year is None:
                row_issues.append(_bulk_row_issue("bad_year", raw_year, title, number, 2))
            if month is None:
                row_issues.append(_bulk_row_issue("bad_month", raw_month, title, number, 3))
            if code not in codes:
                row_issues.append(code_issue("unknown_code", code, title, number, 4))
            value, issue = value_issue(raw_value, title, number, BULK_VALUE_COLUMN, limit=limit)
            if issue is not None:
                row_issues.append(issue)
            if row_issues:
                issues.extend(row_issues)
                continue
            rows.append(BulkRow(title, number, organization, year, month, code, value, raw_value))
    return rows, issues


def _default_versions() -> list[FormTemplate]:
    """The approved versions of the form approved last: the file's months pick among them."""
    approved = list(FormTemplate.objects.approved().order_by("-approved_on", "-version"))
    code = approved[0].code if approved else None
    return sorted((f for f in approved if f.code == code), key=lambda f: f.version)


def _version_of(
    groups: dict[tuple, BulkGroup], versions: list[FormTemplate], *, explicit: bool
) -> tuple[FormTemplate | None, list[ImportIssue]]:
    """The one version of the form the file's months are reported on, or the reasons.

    A month is reported on the version that applies to it; a file whose months fall under
    two versions is refused (their lines differ), as is a month no version applies to.
    """
    issues, chosen = [], {}
    for group in groups.values():
        applying = [v for v in versions if v.applies_to(group.year, group.month)]
        if applying:
            chosen.setdefault(applying[0].pk, applying[0])
            continue
        row = group.first
        values = {
            "sheet": row.sheet,
            "row": row.row,
            "period": period_label(group.year, group.month),
        }
        if explicit:
            form = versions[0]
            message = _(
                "Sheet «%(sheet)s», row %(row)s: version %(version)s of the form applies "
                "%(applies)s, not to %(period)s."
            ) % {**values, "version": form.version, "applies": form.period_display}
        else:
            message = (
                _(
                    "Sheet «%(sheet)s», row %(row)s: no approved version of the form applies to "
                    "%(period)s."
                )
                % values
            )
        issues.append(ImportIssue("no_version", message, sheet=row.sheet, row=row.row))
    if len(chosen) > 1:
        forms = sorted(chosen.values(), key=lambda f: f.version)
        issues.append(
            ImportIssue(
                "several_versions",
                _(
                    "The file holds months of several versions of the form (%(versions)s): "
                    "import each version's months in a file of its own."
                )
                % {
                    "versions": "; ".join(
                        _("version %(version)s — %(applies)s")
                        % {"version": f.version, "applies": f.period_display}
                        for f in forms
                    )
                },
            )
        )
        return None, issues
    return next(iter(chosen.values()), None), issues


def _outside_the_version(groups: dict[tuple, BulkGroup], form: FormTemplate, codes: set[str]):
    """Rows whose code is not on the chosen version, or whose figure is above its bound
    (read against every version of the form, the file was not judged by this one yet)."""
    issues = []
    for group in groups.values():
        for code, place in group.places.items():
            if code not in codes:
                issues.append(code_issue("unknown_code", code, place.sheet, place.row, 4))
            elif (group.values.get(code) or 0) > form.max_value:
                issues.append(
                    cell_issue(
                        "too_large",
                        place.raw,
                        place.sheet,
                        place.row,
                        place.column,
                        limit=form.max_value,
                    )
                )
    return issues


def _group(
    rows: list[BulkRow], organizations: dict[str, Organization]
) -> tuple[dict[tuple, BulkGroup], list[ImportIssue]]:
    groups: dict[tuple, BulkGroup] = {}
    issues: list[ImportIssue] = []
    for row in rows:
        organization = organizations.get(row.organization)
        if organization is None:
            issues.append(
                _bulk_row_issue("unknown_organization", row.organization, row.sheet, row.row, 1)
            )
            continue
        key = (organization.pk, row.year, row.month)
        group = groups.get(key)
        if group is None:
            group = groups[key] = BulkGroup(organization, row.year, row.month, first=row)
        if row.code in group.places:
            first = group.places[row.code]
            issues.append(
                code_issue(
                    "duplicate_code",
                    row.code,
                    row.sheet,
                    row.row,
                    4,
                    first=f"{first.row}"
                    if first.sheet == row.sheet
                    else f"{first.sheet}!{first.row}",
                )
            )
            continue
        group.values[row.code] = row.value
        group.places[row.code] = Place(row.sheet, row.row, BULK_VALUE_COLUMN, row.raw)
    return groups, issues


def _bulk_report_issues(
    groups: dict[tuple, BulkGroup], form: FormTemplate, *, lock: bool
) -> tuple[dict[tuple, Report], dict[int, dict[str, Value]], list[ImportIssue]]:
    """What the stored reports say against the file: closed reports, months already reported
    on another version of the form.

    A constant number of queries however many rows: the reports, then their values.
    """
    organization_ids = {key[0] for key in groups}
    years = {key[1] for key in groups}
    reports_qs = (
        Report.objects.filter(
            form_code=form.code, organization_id__in=organization_ids, period__year__in=years
        )
        .exclude(status=Report.Status.SUPERSEDED)
        .select_related("period", "organization", "form")
    )
    if lock:
        # In a fixed order, so two imports touching the same reports cannot deadlock.
        reports_qs = reports_qs.select_for_update(of=("self",)).order_by("pk")
    reports = {
        (r.organization_id, r.period.year, r.period.month): r
        for r in reports_qs
        if (r.organization_id, r.period.year, r.period.month) in groups
    }
    stored: dict[int, dict[str, Value]] = {r.pk: {} for r in reports.values()}
    for value in Value.objects.filter(report__in=list(reports.values())).select_related(
        "indicator"
    ):
        stored[value.report_id][value.indicator.code] = value

    issues: list[ImportIssue] = []
    for key, group in groups.items():
        report = reports.get(key)
        if report is None:
            continue
        row = group.first
        values = {
            "sheet": row.sheet,
            "row": row.row,
            "organization": group.organization.short_name,
            "period": period_label(group.year, group.month),
        }
        if report.form_id != form.pk:
            issues.append(
                ImportIssue(
                    "other_version",
                    _(
                        "Sheet «%(sheet)s», row %(row)s: %(organization)s already has a report "
                        "for %(period)s on version %(version)s of the form; a month has one "
                        "report, and the file is read as version %(file_version)s."
                    )
                    % {**values, "version": report.form.version, "file_version": form.version},
                    sheet=row.sheet,
                    row=row.row,
                )
            )
        elif not report.is_editable:
            issues.append(
                ImportIssue(
                    "not_editable",
                    _(
                        "Sheet «%(sheet)s», row %(row)s: the report of %(organization)s "
                        "for %(period)s has the status «%(status)s»; its figures cannot be "
                        "changed by an import."
                    )
                    % {**values, "status": report.get_status_display()},
                    sheet=row.sheet,
                    row=row.row,
                )
            )
    return reports, stored, issues


def _periods_for(groups: dict[tuple, BulkGroup]) -> dict[tuple[int, int], ReportingPeriod]:
    """The reporting periods of the file's months, the missing ones created: two queries."""
    months = {(key[1], key[2]) for key in groups}
    periods = {
        (p.year, p.month): p
        for p in ReportingPeriod.objects.filter(year__in={year for year, _m in months})
    }
    missing = [period_new(year=year, month=month) for year, month in sorted(months - set(periods))]
    for period in ReportingPeriod.objects.bulk_create(missing):
        periods[(period.year, period.month)] = period
    return periods


def _save_bulk_batch(
    batch: list[tuple],
    groups: dict[tuple, BulkGroup],
    reports: dict[tuple, Report],
    stored: dict[int, dict[str, Value]],
    periods: dict[tuple[int, int], ReportingPeriod],
    form: FormTemplate,
    user,
    filename: str,
    result: ImportResult,
    written: dict[tuple, dict[str, int | None]],
) -> None:
    """Save one batch of a bulk import's reports, creating those that do not exist yet."""
    missing = [
        Report(
            organization=groups[key].organization,
            form=form,
            period=periods[(key[1], key[2])],
        )
        for key in batch
        if key not in reports
    ]
    if missing:
        for report in bulk_create_with_history(
            missing, Report, default_user=user if getattr(user, "pk", None) else None
        ):
            report.form = form
            reports[(report.organization_id, report.period.year, report.period.month)] = report
    saves = []
    for key in batch:
        current = stored.get(reports[key].pk, {})
        values = {code: v.value for code, v in current.items()} | groups[key].values
        saves.append(
            FiguresToSave(
                reports[key],
                values,
                {code: v.explanation for code, v in current.items()},
            )
        )
        written[key] = values
    # The reports were locked when the file was checked; new ones are this transaction's.
    saved = report_batch_save_values(
        saves,
        user=user if getattr(user, "pk", None) else None,
        locked=True,
        last_year_overlay=written,
    )
    for save in saved:
        result.reports.append(save.report)
        result.warnings += [f for f in save.findings if not f.is_hard]
        result.hard_findings += [f for f in save.findings if f.is_hard]
    result.logs += ImportLog.objects.bulk_create(
        [
            ImportLog(
                report=reports[key],
                user=user if getattr(user, "pk", None) else None,
                filename=(filename or "")[:255],
                outcome=ImportLog.Outcome.IMPORTED,
                values_count=filled_count(groups[key].values),
            )
            for key in batch
        ]
    )


def bulk_values_import(
    *, fileobj: IO[bytes], user=None, filename: str = "", form: FormTemplate | None = None
) -> ImportResult:
    """Import many reports' figures from one workbook: all of them, or none and the reasons.

    Every sheet has a header row, then rows of: organisation (short name), year, month,
    indicator code, value. Reports that do not exist yet are created as drafts; accepted
    and submitted ones are refused, and so is a month already reported on another version
    of the form. Without a form the file's months choose among the versions of the form
    approved last (the one that applies to each month; one version per file). Figures with
    a part above its whole are saved as the web form saves them (result.hard_findings).

    The file is checked in full with a constant number of queries; then the reports are
    saved through report_batch_save_values in batches of REPORTS_PER_BATCH (a constant number
    of queries per batch, none per row or report), all in one transaction. A landed import
    is logged in ImportLog on every report it touched; a refused one in one ImportLog row
    without a report, with its errors.
    """
    result = ImportResult()
    explicit = form is not None
    try:
        versions = [form] if explicit else _default_versions()
        if not versions:
            raise ImportRejected(
                [ImportIssue("no_form", _("There is no approved form to import figures into."))]
            )
        if explicit and form.status != FormTemplate.Status.APPROVED:
            raise ImportRejected(
                [
                    ImportIssue(
                        "draft_form",
                        _(
                            "Version %(version)s of the form is a draft: figures are imported "
                            "only into an approved version."
                        )
                        % {"version": form.version},
                    )
                ]
            )
        items = {version.pk: form_items(version) for version in versions}
        codes = {item.indicator.code for version_items in items.values() for item in version_items}
        limit = max(version.max_value for version in versions)
        limits = bulk_limits(max(len(version_items) for version_items in items.values()))
        rows, issues = read_workbook(fileobj, limits, _read_bulk, codes, limit)
        issues += uncomputed_formulas(
            fileobj,
            [Place(r.sheet, r.row, BULK_VALUE_COLUMN, r.raw) for r in rows if r.raw is None],
            limits,
        )
        names = {row.organization for row in rows}
        organizations = {o.short_name: o for o in Organization.objects.filter(short_name__in=names)}
        groups, group_issues = _group(rows, organizations)
        issues += group_issues
        form, version_issues = _version_of(groups, versions, explicit=explicit)
        issues += version_issues
        if form is not None:
            form_codes = {item.indicator.code for item in items[form.pk]}
            issues += _outside_the_version(groups, form, form_codes)
        if issues or not groups or form is None:
            if groups and form is not None:
                issues += _bulk_report_issues(groups, form, lock=False)[2]
            raise ImportRejected(
                issues or [ImportIssue("no_rows", _("The workbook holds no rows of figures."))]
            )
        with transaction.atomic():
            reports, stored, issues = _bulk_report_issues(groups, form, lock=True)
            if issues:
                raise ImportRejected(issues)
            periods = _periods_for(groups)
            # Month by month, as the reports were due, in batches of a fixed number of
            # reports: each batch costs the same queries, whatever the file's size.
            order = sorted(groups, key=lambda k: (k[1], k[2], k[0]))
            written: dict[tuple, dict[str, int | None]] = {}
            for start in range(0, len(order), REPORTS_PER_BATCH):
                batch = order[start : start + REPORTS_PER_BATCH]
                _save_bulk_batch(
                    batch, groups, reports, stored, periods, form, user, filename, result, written
                )
            result.values_count = sum(filled_count(g.values) for g in groups.values())
    except ImportRejected as rejected:
        result = ImportResult(errors=capped(rejected.issues))
        logger.info("Bulk import of %s rejected: %s errors", filename, len(rejected.issues))
    except WorkflowError as refused:
        result = ImportResult(errors=[ImportIssue("workflow", str(refused.message))])
    if not result.ok:
        # Written after the values' transaction rolled back, so it stays. A refused file
        # touched no report: its row names none.
        result.logs = [
            ImportLog.objects.create(
                report=None,
                user=user if getattr(user, "pk", None) else None,
                filename=(filename or "")[:255],
                outcome=ImportLog.Outcome.REJECTED,
                errors=[issue.as_json() for issue in result.errors],
            )
        ]
    return result
