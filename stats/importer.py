"""Statistics from Excel: one report's filled-in template, or many reports' values at once.

A file is read and checked whole before anything is written; then every value lands in
one transaction through services.report_save_values / reports_save_values (so the checks
and the report's version are handled in one place), or none does. Every attempt on a
report is logged in ImportLog, a rejected one too: the log is written after the values'
transaction ends.
"""

from __future__ import annotations

import codecs
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from defusedxml import DefusedXmlException
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter, range_boundaries
from simple_history.utils import bulk_create_with_history

from clubportal.xlsx import (
    MAX_UPLOAD_BYTES,
    UNREADABLE_ERRORS,
    WorkbookRejected,
    open_uploaded_workbook,
)
from members.models import Organization

from .checks import Finding, hard_checks, parse_whole_number
from .exporters import (
    CODE_COLUMN,
    MAX_VALUE,
    NAME_FORM,
    NAME_ORGANIZATION,
    NAME_PERIOD,
    NAME_TABLE,
    VALUE_COLUMN,
    form_mark,
    period_label,
    period_mark,
)
from .models import FormTemplate, ImportLog, Report, ReportingPeriod, Value
from .selectors import form_items, parents_of
from .services import (
    FiguresToSave,
    WorkflowError,
    period_new,
    report_save_values,
    reports_save_values,
)

logger = logging.getLogger(__name__)

# A file with thousands of wrong cells is reported by its first errors, not all of them.
MAX_ISSUES = 100
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
# How much of a file is looked at to tell what it is.
SNIFF_BYTES = 4096
# Columns of a bulk file: organisation (short name), year, month, indicator code, value.
BULK_COLUMNS = 5
BULK_VALUE_COLUMN = 5
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Reports saved together by a bulk import: the queries are counted per batch.
REPORTS_PER_BATCH = 50


@dataclass(frozen=True)
class ImportIssue:
    """One reason a file was refused, with its place in the workbook when it has one."""

    code: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def __str__(self) -> str:
        return self.message


@dataclass
class ImportResult:
    errors: list[ImportIssue] = field(default_factory=list)
    values_count: int = 0
    reports: list[Report] = field(default_factory=list)
    # Warnings the soft checks found in the imported figures (they need explanations).
    warnings: list[Finding] = field(default_factory=list)
    logs: list[ImportLog] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(Exception):
    def __init__(self, issues: Iterable[ImportIssue]):
        self.issues = list(issues)
        super().__init__("; ".join(issue.message for issue in self.issues))


# --- Opening the file -----------------------------------------------------------------


def _size_of(fileobj: IO[bytes]) -> int:
    size = getattr(fileobj, "size", None)
    if isinstance(size, int):
        return size
    fileobj.seek(0, 2)
    return fileobj.tell()


def _looks_like_text(head: bytes) -> bool:
    """Plain text (CSV, TSV, HTML): no NUL byte and only printable characters and breaks."""
    if b"\0" in head:
        return False
    for encoding in ("utf-8", "cp1251"):
        try:
            # Incremental: the sample may end in the middle of a character.
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return all(char.isprintable() or char in "\t\r\n\f" for char in text)
    return False


def _file_kind_issue(fileobj: IO[bytes]) -> ImportIssue | None:
    """Why the file cannot be a workbook, told by its content (the name proves nothing)."""
    size = _size_of(fileobj)
    if size == 0:
        return ImportIssue(
            "empty",
            _("The file is empty. Choose the filled-in workbook (.xlsx) and upload it again."),
        )
    if size > MAX_UPLOAD_BYTES:
        return ImportIssue(
            "too_big",
            _("The file is too large (%(size)s); at most %(limit)s is accepted.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
        )
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    if head.startswith(ZIP_MAGIC):
        return None
    if head.startswith(OLE2_MAGIC):
        return ImportIssue(
            "legacy_xls",
            _(
                "The file is an Excel 97–2003 workbook (.xls) or a password-protected one; "
                "only the .xlsx format is accepted. Open it in Excel, save it as «Excel "
                "Workbook (*.xlsx)» without a password and upload it again."
            ),
        )
    if PDF_MAGIC in head[:1024]:
        return ImportIssue(
            "pdf",
            _(
                "The file is a PDF document, not an Excel workbook. Upload the template "
                "downloaded from the portal, filled in and saved as .xlsx."
            ),
        )
    if _looks_like_text(head):
        return ImportIssue(
            "text",
            _(
                "The file is a text file (CSV or similar), not an Excel workbook. Open it "
                "in Excel, save it as «Excel Workbook (*.xlsx)» and upload it again."
            ),
        )
    return None  # anything else is refused by open_uploaded_workbook with its own words


def _entities_issue() -> ImportIssue:
    return ImportIssue(
        "xml_entities",
        _(
            "The workbook declares XML entities, which the portal refuses for safety. Open "
            "it in Excel, save it again as «Excel Workbook (*.xlsx)» and upload it."
        ),
    )


def _unreadable_issue() -> ImportIssue:
    return ImportIssue(
        "not_xlsx",
        _(
            "The workbook could not be read: it is damaged or was not saved by a "
            "spreadsheet program. Save it in Excel as «Excel Workbook (*.xlsx)» and upload "
            "it again."
        ),
    )


def _open(fileobj: IO[bytes]):
    issue = _file_kind_issue(fileobj)
    if issue is not None:
        raise ImportRejected([issue])
    try:
        return open_uploaded_workbook(fileobj)
    except WorkbookRejected as exc:
        if _caused_by_entities(exc):
            raise ImportRejected([_entities_issue()]) from exc
        raise ImportRejected([ImportIssue(exc.code, exc.message)]) from exc


def _caused_by_entities(exc: BaseException) -> bool:
    # openpyxl wraps the parser's error in its own (ValueError) before the upload guard does.
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DefusedXmlException):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _read(fileobj: IO[bytes], reader, *args):
    """Open the workbook and run reader(workbook, *args), turning every failure into words.

    Read-only mode parses each sheet while its rows are read, so a hostile or damaged
    sheet (defusedxml refusing entities, a broken XML) fails here, not at opening.
    """
    wb = _open(fileobj)
    try:
        return reader(wb, *args)
    except UNREADABLE_ERRORS as exc:
        issue = _entities_issue() if _caused_by_entities(exc) else _unreadable_issue()
        raise ImportRejected([issue]) from exc
    finally:
        wb.close()


def _uncomputed_formulas(fileobj: IO[bytes], empty: list[Place]) -> list[ImportIssue]:
    """Figures that read as empty because they are formulas saved without their result.

    Cells are read as the values the spreadsheet saved; a formula written by a program
    that computes nothing (openpyxl, some converters) has no saved value and would read
    as an empty cell, erasing the stored figure. Only the empty value cells are looked
    at again, in a second pass that reads formulas as text.
    """
    if not empty:
        return []
    wanted: dict[str, dict[int, Place]] = {}
    for place in empty:
        wanted.setdefault(place.sheet, {})[place.row] = place
    issues = []
    wb = _open_formulas(fileobj)
    try:
        for sheet, rows in wanted.items():
            ws = wb[sheet]
            column = next(iter(rows.values())).column
            cells = ws.iter_rows(
                min_row=min(rows), max_row=max(rows), min_col=column, max_col=column
            )
            for number, (cell,) in enumerate(cells, start=min(rows)):
                if number in rows and getattr(cell, "data_type", None) == "f":
                    issues.append(
                        ImportIssue(
                            "formula_without_value",
                            _(
                                "Sheet «%(sheet)s», row %(row)s, column %(column)s: the cell "
                                "holds a formula saved without its result. Open the workbook "
                                "in Excel or LibreOffice and save it, or type the number."
                            )
                            % _where(sheet, number, column),
                            **_where(sheet, number, column),
                        )
                    )
    except UNREADABLE_ERRORS as exc:
        raise ImportRejected([_unreadable_issue()]) from exc
    finally:
        wb.close()
    return issues


def _open_formulas(fileobj: IO[bytes]):
    try:
        return open_uploaded_workbook(fileobj, data_only=False)
    except WorkbookRejected as exc:  # it opened a moment ago: only a changed file gets here
        raise ImportRejected([ImportIssue(exc.code, exc.message)]) from exc


# --- Cells ------------------------------------------------------------------------------


def _shown(raw) -> str:
    """A cell's value as the user typed it, for a message."""
    if isinstance(raw, float):
        return f"{raw:g}".replace(".", ",")
    return str(raw).strip()[:50]


def _where(sheet: str, row: int, column: int) -> dict:
    return {"sheet": sheet, "row": row, "column": get_column_letter(column)}


def _value_issue(raw, sheet: str, row: int, column: int) -> tuple[int | None, ImportIssue | None]:
    """A cell as a figure, or the issue saying in a whole sentence why it is not one.

    parse_whole_number decides (the web form runs the same rule); this only words it.
    """
    value, error = parse_whole_number(raw)
    if error is None:
        if value is not None and value > MAX_VALUE:
            return None, _cell_issue("too_large", raw, sheet, row, column)
        return value, None
    number = _as_number(raw)
    if number is None:
        kind = "not_a_number"
    elif number < 0:
        kind = "negative"
    else:
        kind = "fractional"
    return None, _cell_issue(kind, raw, sheet, row, column)


def _as_number(raw) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _cell_issue(kind: str, raw, sheet: str, row: int, column: int) -> ImportIssue:
    templates = {
        "negative": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: «%(value)s» — "
            "the value cannot be negative."
        ),
        "fractional": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: «%(value)s» — "
            "only whole numbers are allowed."
        ),
        "not_a_number": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: «%(value)s» is not a number."
        ),
        "too_large": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: «%(value)s» — "
            "the number is too large."
        ),
    }
    where = _where(sheet, row, column)
    return ImportIssue(kind, templates[kind] % {**where, "value": _shown(raw)}, **where)


def _code_issue(kind: str, code: str, sheet: str, row: int, column: int, **extra) -> ImportIssue:
    templates = {
        "unknown_code": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: «%(value)s» is not the code "
            "of an indicator of the form."
        ),
        "duplicate_code": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: the indicator «%(value)s» is "
            "given a second time (first in row %(first)s)."
        ),
    }
    where = _where(sheet, row, column)
    message = templates[kind] % {**where, "value": _shown(code), **extra}
    return ImportIssue(kind, message, **where)


@dataclass(frozen=True)
class Place:
    sheet: str
    row: int
    column: int
    raw: object


def _hard_issues(
    values: dict[str, int | None], places: dict[str, Place], parents: dict[str, str]
) -> list[ImportIssue]:
    """The hard checks of the form (a part above its whole), placed at the part's cell."""
    issues = []
    for finding in hard_checks(values, parents):
        place = places.get(finding.indicator)
        if place is None:  # the part is not in the file: its stored value is
            issues.append(ImportIssue(finding.code, finding.message))
            continue
        where = _where(place.sheet, place.row, place.column)
        whole = parents[finding.indicator]
        message = _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: «%(value)s» — the part "
            "(«of which») is above its whole %(whole_code)s (%(whole)s)."
        ) % {
            **where,
            "value": _shown(place.raw),
            "whole_code": whole,
            "whole": values.get(whole) or 0,
        }
        issues.append(ImportIssue(finding.code, message, **where))
    return issues


def _filled(values: dict[str, int | None]) -> int:
    """How many figures a file gives (an empty cell empties a value; it is not counted)."""
    return sum(1 for value in values.values() if value is not None)


def _capped(issues: list[ImportIssue]) -> list[ImportIssue]:
    if len(issues) <= MAX_ISSUES:
        return issues
    rest = len(issues) - MAX_ISSUES
    return [
        *issues[:MAX_ISSUES],
        ImportIssue("more", _("…and %(count)s more errors of the same file.") % {"count": rest}),
    ]


# --- One report from its template -----------------------------------------------------


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
            issues.append(_code_issue("unknown_code", code, title, number, CODE_COLUMN))
            continue
        if code in places:
            first = places[code].row
            issues.append(
                _code_issue("duplicate_code", code, title, number, CODE_COLUMN, first=first)
            )
            continue
        raw = row[VALUE_COLUMN - 1] if len(row) >= VALUE_COLUMN else None
        places[code] = Place(title, number, VALUE_COLUMN, raw)
        value, issue = _value_issue(raw, title, number, VALUE_COLUMN)
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
        parsed = _read(fileobj, _read_template, report, codes)
        formulas = _uncomputed_formulas(
            fileobj, [place for place in parsed.places.values() if place.raw is None]
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
            issues = _hard_issues(values, parsed.places, parents)
            if issues:
                raise ImportRejected(issues)
            saved = report_save_values(
                report=locked,
                values=values,
                explanations={code: v.explanation for code, v in stored.items()},
                user=user,
            )
        result.values_count = _filled(parsed.values)
        result.reports = [saved.report]
        result.warnings = [f for f in saved.findings if not f.is_hard]
    except ImportRejected as rejected:
        result.errors = _capped(rejected.issues)
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


# --- Many reports at once ---------------------------------------------------------------


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
    where = _where(sheet, row, column)
    return ImportIssue(kind, templates[kind] % {**where, "value": _shown(raw or "")}, **where)


def _whole_in(raw, low: int, high: int) -> int | None:
    value, error = parse_whole_number(raw)
    return value if error is None and value is not None and low <= value <= high else None


def _read_bulk(wb, codes: set[str]) -> tuple[list[BulkRow], list[ImportIssue]]:
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
                row_issues.append(_code_issue("unknown_code", code, title, number, 4))
            value, issue = _value_issue(raw_value, title, number, BULK_VALUE_COLUMN)
            if issue is not None:
                row_issues.append(issue)
            if row_issues:
                issues.extend(row_issues)
                continue
            rows.append(BulkRow(title, number, organization, year, month, code, value, raw_value))
    return rows, issues


def _default_form() -> FormTemplate | None:
    return (
        FormTemplate.objects.filter(status=FormTemplate.Status.APPROVED)
        .order_by("-approved_on", "-version")
        .first()
    )


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
                _code_issue(
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
    groups: dict[tuple, BulkGroup], form: FormTemplate, parents: dict[str, str], *, lock: bool
) -> tuple[dict[tuple, Report], dict[int, dict[str, Value]], list[ImportIssue]]:
    """What the stored reports say against the file: closed reports, parts above wholes.

    A constant number of queries however many rows: the reports, then their values.
    """
    organization_ids = {key[0] for key in groups}
    years = {key[1] for key in groups}
    reports_qs = Report.objects.filter(
        form=form, organization_id__in=organization_ids, period__year__in=years
    ).select_related("period", "organization")
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
        current = {}
        if report is not None:
            if not report.is_editable:
                row = group.first
                issues.append(
                    ImportIssue(
                        "not_editable",
                        _(
                            "Sheet «%(sheet)s», row %(row)s: the report of %(organization)s "
                            "for %(period)s has the status «%(status)s»; its figures cannot be "
                            "changed by an import."
                        )
                        % {
                            "sheet": row.sheet,
                            "row": row.row,
                            "organization": group.organization.short_name,
                            "period": period_label(group.year, group.month),
                            "status": report.get_status_display(),
                        },
                        sheet=row.sheet,
                        row=row.row,
                    )
                )
                continue
            current = {code: v.value for code, v in stored[report.pk].items()}
        issues.extend(_hard_issues(current | group.values, group.places, parents))
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
    saved = reports_save_values(
        saves,
        user=user if getattr(user, "pk", None) else None,
        locked=True,
        last_year_overlay=written,
    )
    for save in saved:
        result.reports.append(save.report)
        result.warnings += [f for f in save.findings if not f.is_hard]
    result.logs += ImportLog.objects.bulk_create(
        [
            ImportLog(
                report=reports[key],
                user=user if getattr(user, "pk", None) else None,
                filename=(filename or "")[:255],
                outcome=ImportLog.Outcome.IMPORTED,
                values_count=_filled(groups[key].values),
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
    and submitted ones are refused. The form defaults to the latest approved one.

    The file is checked in full with a constant number of queries; then the reports are
    saved through reports_save_values in batches of REPORTS_PER_BATCH (a constant number
    of queries per batch, none per row or report), all in one transaction. A landed import
    is logged in ImportLog on every report it touched; a refused one names no report, so it
    is returned (and logged to the application log) but has no ImportLog row.
    """
    result = ImportResult()
    try:
        form = form or _default_form()
        if form is None:
            raise ImportRejected(
                [ImportIssue("no_form", _("There is no approved form to import figures into."))]
            )
        items = form_items(form)
        codes = {item.indicator.code for item in items}
        parents = parents_of(items)
        rows, issues = _read(fileobj, _read_bulk, codes)
        issues += _uncomputed_formulas(
            fileobj,
            [Place(r.sheet, r.row, BULK_VALUE_COLUMN, r.raw) for r in rows if r.raw is None],
        )
        names = {row.organization for row in rows}
        organizations = {o.short_name: o for o in Organization.objects.filter(short_name__in=names)}
        groups, group_issues = _group(rows, organizations)
        issues += group_issues
        if issues or not groups:
            if groups:
                issues += _bulk_report_issues(groups, form, parents, lock=False)[2]
            raise ImportRejected(
                issues or [ImportIssue("no_rows", _("The workbook holds no rows of figures."))]
            )
        with transaction.atomic():
            reports, stored, issues = _bulk_report_issues(groups, form, parents, lock=True)
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
            result.values_count = sum(_filled(g.values) for g in groups.values())
    except ImportRejected as rejected:
        result = ImportResult(errors=_capped(rejected.issues))
        logger.info("Bulk import of %s rejected: %s errors", filename, len(rejected.issues))
    except WorkflowError as refused:
        result = ImportResult(errors=[ImportIssue("workflow", str(refused.message))])
    return result
