"""Large tables streamed to .xlsx by XlsxWriter: flat memory, the house style, text kept text."""

# XlsxWriter, not openpyxl, for the big exports: in constant_memory mode it writes each row
# to a temporary file the moment the next one starts, at two to three times the speed of
# openpyxl's write-only mode. The cells are as safe as kernel.xlsx.writer makes them: the same
# cell_text(), the quote prefix on formula-like text, a typed write call for each value.

from __future__ import annotations

import contextlib
import datetime
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from types import TracebackType

from django.conf import settings
from django.utils import timezone
from xlsxwriter.core import Core
from xlsxwriter.format import Format
from xlsxwriter.packager import Packager
from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import CellStringTuple, Worksheet

from .writer import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    FONT_NAME,
    FORMULA_PREFIXES,
    LINE_HEIGHT,
    Column,
    cell_text,
    page_plan,
    wrapped_lines,
)

# Excel's limit; XlsxWriter would drop further rows without a word.
MAX_ROWS = 1_048_576
# Texts up to this long are remembered per column, made safe and measured: an export
# repeats its labels, titles and links on every row. A bounded number, so memory stays flat.
REMEMBERED_LENGTH = 200
REMEMBERED_PER_COLUMN = 1000
TIME_FORMAT = "HH:MM:SS"

WORKBOOK_OPTIONS = {
    # Each row goes to a temporary file (in the system's temporary folder) once the next
    # one starts, so memory stays flat; in_memory would keep the whole sheet instead.
    "constant_memory": True,
    "in_memory": False,
    # Only the typed write_*() calls are used; these make sure write() would guess nothing.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    # Every cell sits at the top of its row, so a row that a long text makes tall still reads
    # across (as RowWriter lays out a normal sheet). Set on the default format, a plain cell
    # needs no style of its own: styling every cell costs a sixth of the speed.
    "default_format_properties": {"font_name": FONT_NAME, "font_size": 11, "valign": "top"},
}

# kernel.xlsx.writer style_header(): bold on a pale blue fill, a grey rule below, wrapped.
HEADER_STYLE = {
    "bold": True,
    "pattern": 1,
    "bg_color": "#DCE6F1",
    "bottom": 1,
    "bottom_color": "#7F7F7F",
    "text_wrap": True,
    "valign": "vcenter",
}
_NUMBER_FORMATS = {"date": DATE_FORMAT, "datetime": DATETIME_FORMAT, "time": TIME_FORMAT}


class StreamingTable:
    """One sheet: a frozen, filtered header row and rows appended one at a time.

    Columns have fixed widths (nothing is measured afterwards); a wrapping column's row
    gets the height its text needs. Use it as a context manager and call finish() for the
    .xlsx bytes; leaving the block early (an error) removes the temporary file.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        sheet_name: str,
        title: str,
        landscape: bool | None = None,
        title_columns: int = 0,
    ):
        self.columns = list(columns)
        self._buffer = BytesIO()
        self.workbook = _Workbook(self._buffer, WORKBOOK_OPTIONS)
        self.workbook.set_properties(
            {
                "title": " ".join(cell_text(title).split())[:255],
                "author": settings.CLUB_NAME,  # also written as «last modified by»
                "language": "ru-RU",
            }
        )
        self.sheet = self.workbook.add_worksheet(
            cell_text(sheet_name)[:31], worksheet_class=_TextSafeWorksheet
        )
        self._closed = False
        self._formats: dict[tuple[bool, str], Format | None] = {}
        self._wrap = [column.wrap for column in self.columns]
        self._widths = [column.width for column in self.columns]
        # One format per kind of cell and column, looked up by index in the loop.
        self._text = [self._format(w, "text") for w in self._wrap]
        self._quoted = [self._format(w, "quoted") for w in self._wrap]
        self._remembered: list[dict[str, tuple[str, Format | None, int]]] = [
            {} for _ in self.columns
        ]
        self._setup(landscape, title_columns)
        self._next_row = 1

    def _format(self, wrap: bool, kind: str) -> Format | None:
        """The format of a cell of this kind; None (the default format) for plain text."""
        key = (wrap, kind)
        if key not in self._formats:
            style: dict[str, object] = {"text_wrap": True} if wrap else {}
            if kind == "quoted":
                # Excel keeps a quote-prefixed cell text even when someone edits it.
                style["quote_prefix"] = True
            elif kind in _NUMBER_FORMATS:
                style["num_format"] = _NUMBER_FORMATS[kind]
            self._formats[key] = self.workbook.add_format(style) if style else None
        return self._formats[key]

    def _setup(self, landscape: bool | None, title_columns: int) -> None:
        sheet = self.sheet
        for index, column in enumerate(self.columns):
            sheet.set_column(index, index, column.width, self._text[index])
        # kernel.xlsx.writer setup_page(): A4 at a readable scale, as many pages down as needed.
        plan = page_plan(self._widths, landscape=landscape, title_columns=title_columns)
        sheet.set_paper(9)
        if plan.landscape:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.fit_to_pages(plan.pages_across, 0)
        if plan.pages_across > 1:
            sheet.print_across()
            if title_columns:
                sheet.repeat_columns(0, title_columns - 1)
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        sheet.set_footer("&C&P / &N")
        sheet.freeze_panes(1, 0)
        sheet.repeat_rows(0)

        header = self.workbook.add_format(HEADER_STYLE)
        for index, column in enumerate(self.columns):
            sheet.write_string(0, index, cell_text(column.title), header)
        lines = max((wrapped_lines(c.title, c.width, bold=True) for c in self.columns), default=1)
        if lines > 1:
            sheet.set_row(0, lines * LINE_HEIGHT)

    def append(self, values: Sequence[object]) -> None:
        """Write one row: text (made safe), numbers, dates; None and "" leave a cell empty."""
        row = self._next_row
        if row >= MAX_ROWS:
            raise ValueError(f"A sheet holds at most {MAX_ROWS:,} rows.")
        # The undecorated writers: the public ones first check for "A1"-style arguments,
        # which costs more per cell than anything done here.
        write_string = self.sheet._write_string
        remembered = self._remembered
        lines = 1
        for index, value in enumerate(values):
            if type(value) is str:
                cell = remembered[index].get(value) or self._text_cell(index, value)
                text, cell_format, height = cell
                if text:
                    write_string(row, index, text, cell_format)
                    if height > lines:
                        lines = height
            elif value is not None:
                height = self._write_other(row, index, value)
                if height > lines:
                    lines = height
        if lines > 1:
            # The row is written to the file when the next one starts: its height comes now.
            self.sheet.set_row(row, lines * LINE_HEIGHT)
        self._next_row += 1

    def _text_cell(self, index: int, value: str) -> tuple[str, Format | None, int]:
        """The safe text, its format and its number of lines; short ones are remembered."""
        text = cell_text(value)
        if not text:
            cell: tuple[str, Format | None, int] = ("", None, 1)
        else:
            quoted = text[0] in FORMULA_PREFIXES
            width = self._widths[index]
            lines = (
                wrapped_lines(text, width) if self._wrap[index] and len(text) >= width - 1 else 1
            )
            cell = (text, (self._quoted if quoted else self._text)[index], lines)
        remembered = self._remembered[index]
        if len(value) <= REMEMBERED_LENGTH and len(remembered) < REMEMBERED_PER_COLUMN:
            remembered[value] = cell
        return cell

    def _write_other(self, row: int, index: int, value: object) -> int:
        """Any value but a str; the number of lines it takes."""
        sheet, wrap = self.sheet, self._wrap[index]
        kind = type(value)
        if kind is datetime.date:
            sheet._write_datetime(row, index, value, self._format(wrap, "date"))
        elif kind is bool:
            sheet._write_boolean(row, index, value, self._text[index])
        elif kind is int or kind is float or isinstance(value, int | float | Decimal):
            finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
            if finite:  # Excel has no NaN or infinity: an empty cell, not a broken file
                sheet._write_number(row, index, value, self._text[index])
        elif isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                # Excel has no time zones: the club's local time.
                value = timezone.localtime(value).replace(tzinfo=None)
            sheet._write_datetime(row, index, value, self._format(wrap, "datetime"))
        elif isinstance(value, datetime.date):
            sheet._write_datetime(row, index, value, self._format(wrap, "date"))
        elif isinstance(value, datetime.time):
            time = value.replace(tzinfo=None)
            sheet._write_datetime(row, index, time, self._format(wrap, "time"))
        else:
            # Lazy translations and anything else: as their text.
            text, cell_format, lines = self._text_cell(index, str(value))
            if text:
                sheet._write_string(row, index, text, cell_format)
            return lines
        return 1

    def finish(self) -> bytes:
        """The auto-filter over the table, the file closed; the .xlsx bytes."""
        last_row = self._next_row - 1
        self.sheet.autofilter(0, 0, last_row, len(self.columns) - 1)
        self._close()
        return self._buffer.getvalue()

    def _close(self) -> None:
        if not self._closed:
            self._closed = True
            # close() also deletes the temporary file that holds the rows.
            self.workbook.close()

    def __enter__(self) -> StreamingTable:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._closed:
            # Stopped early: half a workbook is written and thrown away, which is how the
            # temporary file goes. An error of its own must not hide the one that stopped it.
            with contextlib.suppress(Exception):
                self._close()


# --- What XlsxWriter gets wrong for untrusted text, and the core property it lacks -----------
# These override private methods, and StreamingTable calls the undecorated _write_*():
# XlsxWriter has no public hook for them. Its version is pinned to 3.3.x (pyproject.toml),
# and tests/resolutions/test_resolutions_xlsx.py and tests/kernel/test_xlsx_safety.py
# check each of them.


# XlsxWriter's escaping of control characters as _xHHHH_, and what it changes: text shaped
# like those escapes, control characters, the non-characters U+FFFE and U+FFFF.
_escape_control_characters = Worksheet._escape_control_characters
_ESCAPED = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_XML_SPECIAL = re.compile("[&<>\r]")
# Anything either of the two above would change.
_NEEDS_WORK = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff&<>]")


class _TextSafeWorksheet(Worksheet):
    """A worksheet that writes its text cells itself, always as plain text.

    In constant_memory mode XlsxWriter writes a text that begins with "<r>" and ends with
    "</r>" into the sheet's XML unescaped, taking it for one of its own rich strings: such
    a text could add cells, formulas among them. And it writes a CR as _x000D_, which Excel
    reads back as a CR but openpyxl (our tests, our imports) and other readers as those
    seven characters. Here every text is escaped, and a CR is the character reference
    &#13;, which every XML reader reads as a CR. Otherwise the cell is what XlsxWriter
    writes, with less work per cell (the export's speed rests on this loop): numbers,
    dates and anything else are left to XlsxWriter.
    """

    def _write_cell(self, row: int, col: int, cell) -> None:
        if cell.__class__ is not CellStringTuple or not self.constant_memory:
            super()._write_cell(row, col, cell)
            return
        cell_format = cell.format or self._inherited_format(row, col)
        style = f' s="{cell_format._get_xf_index()}"' if cell_format else ""
        text = cell.string
        # Most texts need no escaping at all: one search tells, instead of two.
        if _NEEDS_WORK.search(text):
            text = _escape_controls(text)
            if _XML_SPECIAL.search(text):
                text = (
                    text.replace("&", "&amp;")
                    .replace("<", "&lt;")
                    .replace(">", "&gt;")
                    .replace("\r", "&#13;")
                )
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        reference = xl_rowcol_to_cell_fast(row, col)
        self.fh.write(f'<c r="{reference}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>')

    def _inherited_format(self, row: int, col: int) -> Format | None:
        # As XlsxWriter's own _write_cell: the row's format, else the column's.
        row_info = self.row_info.get(row)
        if row_info is not None and row_info.row_format:
            return row_info.row_format
        col_info = self.col_info.get(col)
        return col_info.column_format if col_info is not None else None


def _escape_controls(text: str) -> str:
    """XlsxWriter's escaping of control characters, a CR left as it is."""
    if not _ESCAPED.search(text):
        return text  # most texts: nothing to escape, found by one search instead of four
    if "\r" not in text:
        return _escape_control_characters(text)
    # Every escape stands for characters between the CRs, so part by part is exact.
    return "\r".join(_escape_control_characters(part) for part in text.split("\r"))


class _Core(Core):
    # XlsxWriter writes no dc:language; the file's language is Russian, as kernel.xlsx.writer
    # set_properties() gives it.
    def _write_cp_content_status(self) -> None:
        super()._write_cp_content_status()
        language = self.properties.get("language")
        if language:
            self._xml_data_element("dc:language", language)


class _Packager(Packager):
    def _write_core_file(self) -> None:
        core = _Core()
        core._set_properties(self.workbook.doc_properties)
        core._set_xml_writer(self._filename("docProps/core.xml"))
        core._assemble_xml_file()


class _Workbook(Workbook):
    def _get_packager(self) -> Packager:  # XlsxWriter's hook for its own packager
        return _Packager()
