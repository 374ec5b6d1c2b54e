"""One report's figures from its own filled-in template (downloaded on the report's page)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import range_boundaries

from ..exporters import form_mark, period_label, period_mark
from ..exporters.template import (
    CODE_COLUMN,
    NAME_FORM,
    NAME_ORGANIZATION,
    NAME_PERIOD,
    NAME_TABLE,
    VALUE_COLUMN,
)
from ..models import ImportLog, Report
from ..selectors import form_items
from ..services import (
    WorkflowError,
    report_save_values,
    stale_message,
)
from .reading import (
    ImportIssue,
    ImportRejected,
    ImportResult,
    Place,
    capped,
    code_issue,
    filled_count,
    read_workbook,
    template_limits,
    uncomputed_formulas,
    value_issue,
)

logger = logging.getLogger(__name__)


@dataclass
class TemplateFile:
    values: dict[str, int | None]
    places: dict[str, Place]


def _text_name(wb, name: str) -> str | None:
    defined = wb.defined_names.get(name)
    if defined is None or defined.type != "TEXT":
        return None
    text = defined.value.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return text


def _not_a_template() -> ImportIssue:
    return ImportIssue(
        "not_template",
        _(
            "The workbook is not a report template of the portal: it lacks the hidden marks "
            "of the form and period. Download the template on the report's page, fill it in "
            "and upload it."
        ),
    )


def _period_text(mark: str) -> str:
    try:
        year, month = (int(part) for part in mark.split("-"))
        return period_label(year, month)
    except (ValueError, TypeError):
        return mark


def _read_template(wb, report: Report, codes: set[str]) -> TemplateFile:
    marks = {name: _text_name(wb, name) for name in (NAME_FORM, NAME_ORGANIZATION, NAME_PERIOD)}
    table = wb.defined_names.get(NAME_TABLE)
    destinations = list(table.destinations) if table is not None else []
    if None in marks.values() or len(destinations) != 1:
        raise ImportRejected([_not_a_template()])
    issues = []
    if marks[NAME_FORM] != form_mark(report.form):
        issues.append(
            ImportIssue(
                "wrong_form",
                _(
                    "The workbook is a template of another form (%(file_form)s), while the "
                    "report is on the form «%(form)s» (%(mark)s)."
                )
                % {
                    "file_form": marks[NAME_FORM],
                    "form": report.form,
                    "mark": form_mark(report.form),
                },
            )
        )
    if marks[NAME_ORGANIZATION] != str(report.organization_id):
        issues.append(
            ImportIssue(
                "wrong_organization",
                _(
                    "The workbook is a template of another organisation's report. Download "
                    "the template on this report's page."
                ),
            )
        )
    if marks[NAME_PERIOD] != period_mark(report.period):
        issues.append(
            ImportIssue(
                "wrong_period",
                _(
                    "The workbook is for %(file_period)s, while this report is for "
                    "%(period)s. Download the template on this report's page."
                )
                % {
                    "file_period": _period_text(marks[NAME_PERIOD]),
                    "period": period_label(report.period.year, report.period.month),
                },
            )
        )
    if issues:
        raise ImportRejected(issues)

    title, reference = destinations[0]
    if title not in wb.sheetnames:
        raise ImportRejected([_not_a_template()])
    ws = wb[title]
    min_col, min_row, max_col, max_row = range_boundaries(reference.replace("$", ""))
    if min_col != CODE_COLUMN or max_col != VALUE_COLUMN:
        raise ImportRejected([_not_a_template()])

    values: dict[str, int | None] = {}
    places: dict[str, Place] = {}
    for number, row in enumerate(
        ws.iter_rows(min_row=min_row, max_row=max_row, max_col=VALUE_COLUMN, values_only=True),
        start=min_row,
    ):
        raw_code = row[CODE_COLUMN - 1] if row else None
        code = "" if raw_code is None else str(raw_code).strip()
        if not code:
            continue  # a section heading
        if code not in codes:
            issues.append(code_issue("unknown_code", code, title, number, CODE_COLUMN))
            continue
        if code in places:
            first = places[code].row
            issues.append(
                code_issue("duplicate_code", code, title, number, CODE_COLUMN, first=first)
            )
            continue
        raw = row[VALUE_COLUMN - 1] if len(row) >= VALUE_COLUMN else None
        places[code] = Place(title, number, VALUE_COLUMN, raw)
        value, issue = value_issue(raw, title, number, VALUE_COLUMN, limit=report.form.max_value)
        if issue is not None:
            issues.append(issue)
        else:
            values[code] = value
    if not places and not issues:
        raise ImportRejected([_not_a_template()])
    if issues:
        raise ImportRejected(issues)
    return TemplateFile(values=values, places=places)


def _not_editable(report: Report) -> ImportIssue:
    return ImportIssue(
        "not_editable",
        _(
            "The report has the status «%(status)s»: a workbook can be imported only into a "
            "draft or a report returned for correction. Nothing was saved."
        )
        % {"status": report.get_status_display()},
    )


@dataclass
class PendingImport:
    """An upload that would empty stored figures, held until the operator confirms it.

    Only what the file says is kept (a few numbers, in the session), never the file; the
    report's version then proves nothing changed in between.
    """

    report: int
    version: int
    filename: str
    values: dict[str, int | None]
    # (line name, the stored figure the file would empty), in the order of the form.
    clears: list[tuple[str, int]]

    def as_session(self) -> dict:
        return {
            "report": self.report,
            "version": self.version,
            "filename": self.filename,
            "values": self.values,
            "clears": [list(clear) for clear in self.clears],
        }

    @classmethod
    def from_session(cls, data) -> PendingImport | None:
        try:
            return cls(
                report=int(data["report"]),
                version=int(data["version"]),
                filename=str(data["filename"]),
                values={str(k): (None if v is None else int(v)) for k, v in data["values"].items()},
                clears=[(str(name), int(value)) for name, value in data["clears"]],
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def _no_figures() -> ImportIssue:
    return ImportIssue(
        "no_figures",
        _(
            "The workbook holds no figures: every value cell is empty. Nothing was changed; "
            "fill in the yellow cells and upload the file again."
        ),
    )


def _awaiting_confirmation(clears) -> ImportIssue:
    return ImportIssue(
        "confirm_clearing",
        _(
            "Not imported yet: the file leaves empty %(count)s figures stored in the report "
            "(%(lines)s); the operator was asked to confirm."
        )
        % {"count": len(clears), "lines": ", ".join(f"«{name}»" for name, _v in clears)},
    )


def _save(locked: Report, file_values: dict, user) -> ImportResult:
    """The file's figures over the stored ones, through report_save_values."""
    stored = {v.indicator.code: v for v in locked.values.select_related("indicator")}
    saved = report_save_values(
        report=locked,
        values={code: v.value for code, v in stored.items()} | file_values,
        explanations={code: v.explanation for code, v in stored.items()},
        user=user,
    )
    return ImportResult(
        values_count=filled_count(file_values),
        reports=[saved.report],
        warnings=[f for f in saved.findings if not f.is_hard],
        hard_findings=[f for f in saved.findings if f.is_hard],
    )


def _lock_editable(report: Report) -> Report:
    # The row lock (as report_save_values takes it) before reading the stored figures: a
    # concurrent save or import waits, and nothing it wrote is lost.
    locked = Report.objects.select_for_update().select_related("form", "period").get(pk=report.pk)
    if not locked.is_editable:
        raise ImportRejected([_not_editable(locked)])
    return locked


def _log(report: Report, user, filename: str, result: ImportResult) -> None:
    if result.pending is not None:
        outcome, count = ImportLog.Outcome.REJECTED, 0
        errors = [_awaiting_confirmation(result.pending.clears)]
    elif result.ok:
        outcome, count, errors = ImportLog.Outcome.IMPORTED, result.values_count, []
    else:
        outcome, count, errors = ImportLog.Outcome.REJECTED, 0, result.errors
        logger.info("Import of %s into report %s rejected", filename, report.pk)
    result.logs = [
        ImportLog.objects.create(
            report=report,
            user=user if getattr(user, "pk", None) else None,
            filename=(filename or "")[:255],
            outcome=outcome,
            values_count=count,
            errors=[issue.as_json() for issue in errors],
        )
    ]


def report_import(*, report: Report, fileobj: IO[bytes], filename: str, user) -> ImportResult:
    """Import a report's filled-in template: every value lands, or none and the reasons.

    Values of the file replace the report's; indicators the file does not list keep theirs,
    and so do the operator's explanations. A file with no figure at all (the blank template
    sent back) changes nothing and says so; a file that would empty stored figures is held
    (result.pending) until the operator confirms (report_import_confirmed). Figures with a
    part above its whole are saved as the web form saves them, with the errors that stop
    submission. The attempt is logged in ImportLog whatever its outcome.
    """
    result = ImportResult()
    try:
        if not report.is_editable:
            raise ImportRejected([_not_editable(report)])
        items = form_items(report.form)
        codes = {item.indicator.code for item in items}
        limits = template_limits(len(items))
        parsed = read_workbook(fileobj, limits, _read_template, report, codes)
        formulas = uncomputed_formulas(
            fileobj, [place for place in parsed.places.values() if place.raw is None], limits
        )
        if formulas:
            raise ImportRejected(formulas)
        if not filled_count(parsed.values):
            raise ImportRejected([_no_figures()])
        with transaction.atomic():
            locked = _lock_editable(report)
            stored = dict(
                locked.values.filter(value__isnull=False).values_list("indicator__code", "value")
            )
            clears = [
                (item.indicator.name, stored[item.indicator.code])
                for item in items
                if item.indicator.code in parsed.values
                and parsed.values[item.indicator.code] is None
                and item.indicator.code in stored
            ]
            if clears:
                result.pending = PendingImport(
                    report=locked.pk,
                    version=locked.version,
                    filename=filename or "",
                    values=parsed.values,
                    clears=clears,
                )
            else:
                result = _save(locked, parsed.values, user)
    except ImportRejected as rejected:
        result = ImportResult(errors=capped(rejected.issues))
    except WorkflowError as refused:
        result = ImportResult(errors=[ImportIssue("workflow", str(refused.message))])
    _log(report, user, filename, result)
    return result


def report_import_confirmed(*, report: Report, pending: PendingImport, user) -> ImportResult:
    """Land an upload the operator confirmed emptying figures for: refused if the report
    changed since the upload (another save, another tab)."""
    try:
        with transaction.atomic():
            locked = _lock_editable(report)
            if locked.pk != pending.report or locked.version != pending.version:
                raise WorkflowError(stale_message(locked, user))
            result = _save(locked, pending.values, user)
    except ImportRejected as rejected:
        result = ImportResult(errors=capped(rejected.issues))
    except WorkflowError as refused:
        result = ImportResult(errors=[ImportIssue("workflow", str(refused.message))])
    _log(report, user, pending.filename, result)
    return result
