"""Reading an uploaded statistics workbook: what the file is, its cells, the reasons to refuse it.

Shared by the import of one report's template (template.py) and of many reports' values
(bulk.py). Nothing here writes to the database.
"""

from __future__ import annotations

import codecs
import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from defusedxml import DefusedXmlException
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.utils import get_column_letter

from kernel.dates import long_date
from kernel.xlsx.upload import (
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_ENTRIES,
    UNREADABLE_ERRORS,
    WorkbookLimits,
    WorkbookRejected,
    open_uploaded_workbook,
)

from ..checks import FIGURE_CEILING, Finding, limit_text, parse_whole_number
from ..models import ImportLog, Report

logger = logging.getLogger(__name__)

# A file with thousands of wrong cells is reported by its first errors, not all of them.
MAX_ISSUES = 100
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
# How much of a file is looked at to tell what it is.
SNIFF_BYTES = 4096

# What a file may hold, set from the form's shape: generous for every file the portal writes
# and a person then edits, far below what would cost a worker seconds or a hundred megabytes.
# A report's template (exporters/template.py) is eight rows of header, then a row per
# line of the form and a heading per section: four rows a line and a hundred for notes, in
# columns A to P (the template fills A to E), hold any edited template.
TEMPLATE_SPARE_ROWS = 100
TEMPLATE_ROWS_PER_LINE = 4
TEMPLATE_COLUMNS = 16
TEMPLATE_UNPACKED_BYTES = 10 * 1024 * 1024
# A bulk file is a row per figure: a year (twelve months) of every line of the form for this
# many library systems (the region has forty-odd), in five columns and one for notes.
BULK_LIBRARY_SYSTEMS = 100
BULK_COLUMNS_READ = 6
# Markup beyond the cells (styles, theme, names) in a workbook Excel or LibreOffice saved.
BASE_ELEMENTS = 20_000


def _limits(*, rows: int, cells: int, texts: int, unpacked: int) -> WorkbookLimits:
    return WorkbookLimits(
        max_bytes=MAX_UPLOAD_BYTES,
        max_unpacked=unpacked,
        max_entries=MAX_ZIP_ENTRIES,
        max_rows=rows,
        max_cells=cells,
        max_shared_strings=texts,
        # A cell takes two or three elements (<c><v>, <c><is><t>), a shared text two.
        max_elements=3 * cells + 2 * texts + rows + BASE_ELEMENTS,
    )


def template_limits(lines: int) -> WorkbookLimits:
    """What the template of a form with this many lines may hold."""
    rows = TEMPLATE_SPARE_ROWS + TEMPLATE_ROWS_PER_LINE * lines
    cells = TEMPLATE_COLUMNS * rows
    return _limits(rows=rows, cells=cells, texts=cells, unpacked=TEMPLATE_UNPACKED_BYTES)


def bulk_limits(lines: int) -> WorkbookLimits:
    """What a bulk file of a form with this many lines may hold (a header row, then figures)."""
    rows = 1 + 12 * lines * BULK_LIBRARY_SYSTEMS
    # Excel keeps each distinct text once: organisations, codes, the header, a note a row.
    return _limits(
        rows=rows, cells=BULK_COLUMNS_READ * rows, texts=rows, unpacked=MAX_UNCOMPRESSED_BYTES
    )


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
    # Errors of the hard checks (a part above its whole): the figures are saved as the
    # web form saves them, and the errors stop submission until corrected.
    hard_findings: list[Finding] = field(default_factory=list)
    logs: list[ImportLog] = field(default_factory=list)
    # An upload that would empty stored figures waits for the operator's confirmation.
    pending: object | None = None

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


def _file_kind_issue(fileobj: IO[bytes], limits: WorkbookLimits) -> ImportIssue | None:
    """Why the file cannot be a workbook, told by its content (the name proves nothing)."""
    size = _size_of(fileobj)
    if size == 0:
        return ImportIssue(
            "empty",
            _("The file is empty. Choose the filled-in workbook (.xlsx) and upload it again."),
        )
    if size > limits.max_bytes:
        return ImportIssue(
            "too_big",
            _("The file is too large (%(size)s); at most %(limit)s is accepted.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limits.max_bytes)},
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


def entities_issue() -> ImportIssue:
    return ImportIssue(
        "xml_entities",
        _(
            "The workbook declares XML entities, which the portal refuses for safety. Open "
            "it in Excel, save it again as «Excel Workbook (*.xlsx)» and upload it."
        ),
    )


def unreadable_issue() -> ImportIssue:
    return ImportIssue(
        "not_xlsx",
        _(
            "The workbook could not be read: it is damaged or was not saved by a "
            "spreadsheet program. Save it in Excel as «Excel Workbook (*.xlsx)» and upload "
            "it again."
        ),
    )


def _open(fileobj: IO[bytes], limits: WorkbookLimits):
    issue = _file_kind_issue(fileobj, limits)
    if issue is not None:
        raise ImportRejected([issue])
    try:
        return open_uploaded_workbook(fileobj, limits=limits)
    except WorkbookRejected as exc:
        if _caused_by_entities(exc):
            raise ImportRejected([entities_issue()]) from exc
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


def read_workbook(fileobj: IO[bytes], limits: WorkbookLimits, reader, *args):
    """Open the workbook within the limits and run reader(workbook, *args), turning every
    failure into words.

    Read-only mode parses each sheet while its rows are read, so a hostile or damaged
    sheet (defusedxml refusing entities, a broken XML) fails here, not at opening.
    """
    wb = _open(fileobj, limits)
    try:
        return reader(wb, *args)
    except UNREADABLE_ERRORS as exc:
        issue = entities_issue() if _caused_by_entities(exc) else unreadable_issue()
        raise ImportRejected([issue]) from exc
    finally:
        wb.close()


def uncomputed_formulas(
    fileobj: IO[bytes], empty: list[Place], limits: WorkbookLimits
) -> list[ImportIssue]:
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
    wb = _open_formulas(fileobj, limits)
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
                            % cell_place(sheet, number, column),
                            **cell_place(sheet, number, column),
                        )
                    )
    except UNREADABLE_ERRORS as exc:
        raise ImportRejected([unreadable_issue()]) from exc
    finally:
        wb.close()
    return issues


def _open_formulas(fileobj: IO[bytes], limits: WorkbookLimits):
    try:
        return open_uploaded_workbook(fileobj, limits=limits, data_only=False)
    except WorkbookRejected as exc:  # it opened a moment ago: only a changed file gets here
        raise ImportRejected([ImportIssue(exc.code, exc.message)]) from exc


# --- Cells ------------------------------------------------------------------------------


def shown(raw) -> str:
    """A cell's value as the user sees it in the spreadsheet, for a message."""
    if isinstance(raw, bool):
        return (
            pgettext("spreadsheet logical value", "TRUE")
            if raw
            else pgettext("spreadsheet logical value", "FALSE")
        )
    if isinstance(raw, float):
        return f"{raw:g}".replace(".", ",")
    if isinstance(raw, datetime.datetime):
        if raw.time() == datetime.time():
            return long_date(raw.date())
        return formats.date_format(raw, "j E Y, H:i")
    if isinstance(raw, datetime.date):
        return long_date(raw)
    if isinstance(raw, datetime.time):
        return formats.time_format(raw, "H:i")
    return str(raw).strip()[:50]


def cell_place(sheet: str, row: int, column: int) -> dict:
    return {"sheet": sheet, "row": row, "column": get_column_letter(column)}


def value_issue(
    raw, sheet: str, row: int, column: int, *, limit: int | None = None
) -> tuple[int | None, ImportIssue | None]:
    """A cell as a figure up to `limit` (the form's bound), or the issue saying in a whole
    sentence why it is not one.

    parse_whole_number decides (the web form runs the same rule); this only words it.
    """
    if isinstance(raw, datetime.date | datetime.time):
        return None, cell_issue("date", raw, sheet, row, column)
    value, error = parse_whole_number(raw, limit=limit)
    if error is None:
        return value, None
    return None, cell_issue(error.kind, raw, sheet, row, column, limit=limit)


def cell_issue(kind: str, raw, sheet: str, row: int, column: int, *, limit=None) -> ImportIssue:
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
            "the number is too large: the form accepts at most %(limit)s."
        ),
        "ambiguous": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: «%(value)s» is ambiguous: a "
            "comma or a dot between groups of digits may mark thousands or a fraction. Type "
            "the number without them."
        ),
        "exponent": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: «%(value)s» is written with "
            "an exponent: type the number in full."
        ),
        "logical": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: the cell holds the logical "
            "value %(value)s, not a number."
        ),
        "date": _(
            "Sheet «%(sheet)s», row %(row)s, column %(column)s: the cell holds a date or a "
            "time (%(value)s), not a number. Format the cell as a number and type the figure."
        ),
    }
    where = cell_place(sheet, row, column)
    values = {**where, "value": shown(raw), "limit": limit_text(limit or FIGURE_CEILING)}
    return ImportIssue(kind, templates[kind] % values, **where)


def code_issue(kind: str, code: str, sheet: str, row: int, column: int, **extra) -> ImportIssue:
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
    where = cell_place(sheet, row, column)
    message = templates[kind] % {**where, "value": shown(code), **extra}
    return ImportIssue(kind, message, **where)


@dataclass(frozen=True)
class Place:
    sheet: str
    row: int
    column: int
    raw: object


def filled_count(values: dict[str, int | None]) -> int:
    """How many figures a file gives (an empty cell empties a value; it is not counted)."""
    return sum(1 for value in values.values() if value is not None)


def capped(issues: list[ImportIssue]) -> list[ImportIssue]:
    if len(issues) <= MAX_ISSUES:
        return issues
    rest = len(issues) - MAX_ISSUES
    return [
        *issues[:MAX_ISSUES],
        ImportIssue("more", _("…and %(count)s more errors of the same file.") % {"count": rest}),
    ]
