"""One report's figures from its own filled-in template (downloaded on the report's page)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import range_boundaries

from ..exporters import (
    CODE_COLUMN,
    NAME_FORM,
    NAME_ORGANIZATION,
    NAME_PERIOD,
    NAME_TABLE,
    VALUE_COLUMN,
    form_mark,
    period_label,
    period_mark,
)
from ..models import ImportLog, Report
from ..selectors import form_items, parents_of
from ..services import (
    WorkflowError,
    report_save_values,
)
from .reading import (
    ImportIssue,
    ImportRejected,
    ImportResult,
    Place,
    capped,
    code_issue,
    filled_count,
    hard_issues,
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
        value, issue = value_issue(raw, title, number, VALUE_COLUMN)
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


def report_import(*, report: Report, fileobj: IO[bytes], filename: str, user) -> ImportResult:
    """Import a report's filled-in template: every value lands, or none and the reasons.

    Values of the file replace the report's (an empty cell empties the value); indicators
    the file does not list keep theirs, and so do the operator's explanations. The attempt
    is logged in ImportLog whatever its outcome.
    """
    result = ImportResult()
    try:
        if not report.is_editable:
            raise ImportRejected([_not_editable(report)])
        items = form_items(report.form)
        codes = {item.indicator.code for item in items}
        parents = parents_of(items)
        limits = template_limits(len(items))
        parsed = read_workbook(fileobj, limits, _read_template, report, codes)
        formulas = uncomputed_formulas(
            fileobj, [place for place in parsed.places.values() if place.raw is None], limits
        )
        if formulas:
            raise ImportRejected(formulas)
        with transaction.atomic():
            # The row lock (as report_save_values takes it) before reading the stored
            # figures: a concurrent save or import waits, and nothing it wrote is lost.
            locked = Report.objects.select_for_update().get(pk=report.pk)
            if not locked.is_editable:
                raise ImportRejected([_not_editable(locked)])
            stored = {v.indicator.code: v for v in locked.values.select_related("indicator")}
            values = {code: v.value for code, v in stored.items()} | parsed.values
            issues = hard_issues(values, parsed.places, parents)
            if issues:
                raise ImportRejected(issues)
            saved = report_save_values(
                report=locked,
                values=values,
                explanations={code: v.explanation for code, v in stored.items()},
                user=user,
            )
        result.values_count = filled_count(parsed.values)
        result.reports = [saved.report]
        result.warnings = [f for f in saved.findings if not f.is_hard]
    except ImportRejected as rejected:
        result.errors = capped(rejected.issues)
    except WorkflowError as refused:
        result.errors = [ImportIssue("workflow", str(refused.message))]
    result.logs = [
        ImportLog.objects.create(
            report=report,
            user=user if getattr(user, "pk", None) else None,
            filename=(filename or "")[:255],
            outcome=ImportLog.Outcome.IMPORTED if result.ok else ImportLog.Outcome.REJECTED,
            values_count=result.values_count,
            errors=[issue.as_json() for issue in result.errors],
        )
    ]
    if not result.ok:
        logger.info("Import of %s into report %s rejected", filename, report.pk)
    return result
