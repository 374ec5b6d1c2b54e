"""Spreadsheets the portal writes: safe cells, the house style, page set-up, the file's bytes.

The one source of the house style (fonts, header fill, widths, wrapping): the streaming
writer (stream.py) takes its figures from here.
"""

from __future__ import annotations

import copy
import datetime
import functools
import math
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.worksheet import Worksheet

AnySheet = Worksheet | WriteOnlyWorksheet
CellValue = str | int | float | Decimal | bool | datetime.date | datetime.time | None

# Excel's own limit; it counts UTF-16 code units, so a character outside the BMP counts twice.
MAX_CELL_CHARS = 32_767
TRUNCATION_MARK = "…"
# OWASP ASVS 1.2.10: text starting with these is a formula (or a CSV row break) to a spreadsheet.
FORMULA_PREFIXES = frozenset("=+-@\t\r")
# openpyxl turns these exact strings into error cells; as text they must stay text.
_ERROR_STRINGS = frozenset(ERROR_CODES)

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
MIN_WIDTH = 10
MAX_WIDTH = 80
# Character-width units that fit across A4 portrait at about 85 % with the margins below
# (about 100 at full size); wider sheets are printed landscape.
PORTRAIT_WIDTH = 115
# The printable width of A4 with the margins of setup_page() (half an inch each side), in
# points, and a column's width in points: Excel draws a column of w characters of Calibri 11
# 7w + 5 pixels wide, at 96 pixels an inch.
PRINTABLE_WIDTH = {False: 595.3 - 72, True: 841.9 - 72}  # portrait, landscape
POINTS_PER_CHARACTER = 5.25
COLUMN_PADDING_POINTS = 3.75
# A sheet too wide for one page is printed on several pages across instead of being shrunk
# below this: 13 columns fitted to one landscape width printed at 43 %, 4.7-point letters.
# The plan aims a little higher, since Excel and LibreOffice measure fonts a little apart.
MIN_PRINT_SCALE = 0.6
PLANNED_PRINT_SCALE = 0.65

# The font is named: a font without a name is drawn in the reader's fallback (a serif).
FONT_NAME = "Calibri"
BODY_FONT = Font(name=FONT_NAME, size=11)
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
# Calibri 11 needs 15 points a line; bold letters are about a sixth wider.
LINE_HEIGHT = 15.0
BOLD_WIDTH = 1.15
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
HEADER_BORDER = Border(bottom=Side(style="thin", color="7F7F7F"))
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
WRAP_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
TOP_ALIGNMENT = Alignment(vertical="top", horizontal="left")
# A streamed row styles only its wrapping and date cells (styling every cell halves the
# speed), so those keep Excel's bottom alignment too: the row's values stay on one line.
STREAM_WRAP_ALIGNMENT = Alignment(wrap_text=True)

# Excel's line break inside a cell is LF; browsers send textareas with CRLF.
_CRLF = "\r\n"

_PASSTHROUGH = (bool, int, float, Decimal, datetime.date, datetime.time)


def cell_text(value: object) -> str:
    """Any value as text a cell can hold: no forbidden control characters, at most 32,767 long.

    Line breaks become LF; a lone CR is kept (workbook_bytes() makes it survive the XML).
    """
    text = value if type(value) is str else str(value)
    if "\r" in text:
        text = text.replace(_CRLF, "\n")
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    # A Python character is at most two UTF-16 units: below half the limit no count is needed.
    if len(text) > MAX_CELL_CHARS // 2 and _utf16_length(text) > MAX_CELL_CHARS:
        text = _cut(text)
    return text


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str) -> str:
    # Cut by UTF-16 units, the way Excel counts; "ignore" drops half of a split surrogate pair.
    keep = (MAX_CELL_CHARS - len(TRUNCATION_MARK)) * 2
    head = text.encode("utf-16-le")[:keep].decode("utf-16-le", errors="ignore")
    return head + TRUNCATION_MARK


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula (OWASP ASVS 1.2.10)."""
    return text[:1] in FORMULA_PREFIXES


def cell_value(value: object) -> CellValue:
    """A value ready for a cell: numbers and dates as they are, everything else as safe text."""
    if value is None or type(value) in _PASSTHROUGH:
        if type(value) is float and not math.isfinite(value):
            return None  # Excel has no NaN or infinity: an empty cell, not a broken file
        if type(value) is datetime.datetime and value.tzinfo is not None:
            # Excel has no time zones: show the club's local time.
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, _PASSTHROUGH):
        return value
    return cell_text(value)


def number_or_text(value: str) -> int | str:
    """A number typed as text («1», «12») as the number it is, so that it sorts and sums as one.

    Anything else stays the text it is: leading zeros («01») and letters («12-а») would be
    lost in a number, and more than 15 digits are beyond a spreadsheet's precision.
    """
    text = value.strip()
    if text.isascii() and text.isdigit() and len(text) <= 15 and (text == "0" or text[0] != "0"):
        return int(text)
    return value


def needs_text_guard(text: str) -> bool:
    """Text that openpyxl would store as a formula or an error unless told it is text."""
    return text[:1] in FORMULA_PREFIXES or text in _ERROR_STRINGS


def set_cell(cell: Cell, value: object) -> Cell:
    """Put a value into a cell (normal or write-only) so that text always stays text."""
    return _bind(cell, cell_value(value))


def _bind(cell: Cell, value: CellValue) -> Cell:
    cell.value = value
    if type(value) is str:
        # openpyxl makes "=…" a formula and "#N/A" an error: force a plain string instead.
        if cell.data_type != "s":
            cell.data_type = "s"
        # The quote prefix keeps Excel from turning the text into a formula once edited.
        quoted = is_formula_like(value)
        if cell.quotePrefix != quoted:
            _own_style(cell).quotePrefix = quoted
    elif isinstance(value, datetime.date):
        # openpyxl gives dates its ISO format; the club reads 23.06.2021.
        wanted = DATETIME_FORMAT if isinstance(value, datetime.datetime) else DATE_FORMAT
        if cell.number_format != wanted:
            _own_style(cell)
            cell.number_format = wanted
    return cell


def _own_style(cell: Cell) -> Cell:
    """The cell with a style array of its own, ready to be changed.

    openpyxl's style setters change a cell's style array in place, and the workbook's list
    of cell styles holds that very array once a cell using it has been written. RowWriter
    refills one cell for every row of a wrapping column: changing its style in place would
    change the style of every row already written with it (the quote prefix of
    «=SUM(A1)» taken off by the plain text of the next row, or put on it). A copy leaves
    the written rows as they were.
    """
    cell._style = copy.copy(cell._style) if cell._style is not None else StyleArray()
    return cell


def safe_cell(ws: AnySheet, value: object) -> Cell:
    """A new cell holding the value safely; append it with ws.append() in either mode."""
    return set_cell(WriteOnlyCell(ws), value)


def put(ws: Worksheet, row: int, column: int, value: object, **style: object) -> Cell:
    """Write a value safely at a position of a normal worksheet, with optional style keywords."""
    cell = set_cell(ws.cell(row=row, column=column), value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def field_label(model: type[models.Model], field: str) -> str:
    """A column header from the model's own translated field name, as the admin shows it."""
    return capfirst(str(model._meta.get_field(field).verbose_name))


@dataclass(frozen=True)
class Column:
    """A table column: header, width in characters (used as is in write-only mode), wrapping."""

    title: str
    width: float = 14
    wrap: bool = False


class RowWriter:
    """Writes a table (header, rows, filter) of safe cells, in normal or write-only mode.

    In write-only mode rows can only be appended: start_row must be the next row of the sheet,
    and set_widths() and header() must come before the first row.
    """

    def __init__(self, ws: AnySheet, columns: Sequence[Column], *, start_row: int = 1):
        self.ws = ws
        self.columns = list(columns)
        self.write_only = isinstance(ws, WriteOnlyWorksheet)
        self.next_row = start_row
        self.header_row: int | None = None
        # Write-only mode writes a row the moment it is appended, so one styled cell per
        # wrapping column can be refilled for every row: building and styling a new Cell
        # object for each value halves the export's speed.
        self._pool: list[Cell | None] = [
            _wrapping(WriteOnlyCell(ws)) if self.write_only and c.wrap else None
            for c in self.columns
        ]
        self._date_pool: dict[tuple[int, bool], Cell] = {}
        self._heights: dict[float, RowDimension] = {}

    @property
    def last_row(self) -> int:
        return self.next_row - 1

    def set_widths(self) -> None:
        """Give each column its preset width."""
        for index, column in enumerate(self.columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width

    def header(self, *, freeze: bool = True) -> int:
        """Write the header row, frozen so it stays in view while the rows scroll; its number."""
        row = self.header_row = self.next_row
        if freeze:
            self.ws.freeze_panes = f"A{row + 1}"
        if self.write_only:
            cells = [safe_cell(self.ws, column.title) for column in self.columns]
            for cell in cells:
                style_header(cell)
            lines = max(wrapped_lines(c.title, c.width, bold=True) for c in self.columns)
            self._append(cells, lines)
            return row
        for index, column in enumerate(self.columns, start=1):
            style_header(put(self.ws, row, index, column.title))
        self.next_row += 1
        return row

    def append(self, values: Iterable[object]) -> None:
        if self.write_only:
            row = self._streamed_row(values)
            lines = 1
            for value, column in zip(row, self.columns, strict=False):
                if column.wrap and value is not None:
                    text = value.value if isinstance(value, Cell) else value
                    if type(text) is str and len(text) >= column.width - 1:
                        lines = max(lines, wrapped_lines(text, column.width))
            self._append(row, lines)
            return
        for index, value in enumerate(values, start=1):
            wrap = index <= len(self.columns) and self.columns[index - 1].wrap
            put(
                self.ws,
                self.next_row,
                index,
                value,
                alignment=WRAP_ALIGNMENT if wrap else TOP_ALIGNMENT,
            )
        self.next_row += 1

    def _streamed_row(self, values: Iterable[object]) -> list[object]:
        row: list[object] = []
        pool = self._pool
        for index, raw in enumerate(values):
            value = cell_value(raw)
            if value is None:
                row.append(None)
                continue
            pooled = pool[index] if index < len(pool) and type(value) is str else None
            if pooled is not None:
                row.append(_bind(pooled, value))
            elif isinstance(value, datetime.date):
                row.append(_bind(self._date_cell(index, value), value))
            elif type(value) is str and needs_text_guard(value):
                row.append(_bind(WriteOnlyCell(self.ws), value))  # rare: forced to text
            else:
                row.append(value)  # the fast path: openpyxl writes plain values itself
        return row

    def _date_cell(self, index: int, value: datetime.date) -> Cell:
        key = (index, isinstance(value, datetime.datetime))
        cell = self._date_pool.get(key)
        if cell is None:
            cell = WriteOnlyCell(self.ws)
            cell.number_format = DATETIME_FORMAT if key[1] else DATE_FORMAT
            self._date_pool[key] = cell
        return cell

    def _append(self, cells: list[object], lines: int = 1) -> None:
        if lines <= 1:
            self.ws.append(cells)
            self.next_row += 1
            return
        # Write-only mode reads the row's height as it writes the row; dropping the entry
        # afterwards keeps memory flat, and rows of equal height share one object.
        height = lines * LINE_HEIGHT
        dimension = self._heights.get(height)
        if dimension is None:
            dimension = self._heights[height] = RowDimension(self.ws, height=height)
        self.ws.row_dimensions[self.next_row] = dimension
        self.ws.append(cells)
        del self.ws.row_dimensions[self.next_row]
        self.next_row += 1

    def finish(self) -> None:
        """An auto-filter over the table; its header repeated on every printed page."""
        if self.header_row is None:
            return
        last_column = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A{self.header_row}:{last_column}{self.last_row}"
        self.ws.print_title_rows = f"{self.header_row}:{self.header_row}"


def _wrapping(cell: Cell) -> Cell:
    cell.alignment = STREAM_WRAP_ALIGNMENT
    return cell


def style_header(cell: Cell) -> None:
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.border = HEADER_BORDER
    cell.alignment = HEADER_ALIGNMENT


def fit_column_widths(
    ws: Worksheet,
    *,
    header_rows: Iterable[int] = (),
    minimum: float = MIN_WIDTH,
    maximum: float = MAX_WIDTH,
) -> None:
    """Widths from the longest line in each column (merged cells aside), within the bounds.

    Header cells wrap, so only their longest word counts: a long title breaks into two
    lines instead of widening a column of short values.
    """
    merged = {
        (row, column) for cell_range in ws.merged_cells.ranges for row, column in cell_range.cells
    }
    headers = set(header_rows)
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            if cell.row in headers:
                length = max((len(word) for word in str(cell.value).split()), default=0)
            else:
                length = _display_length(cell.value)
            if cell.font is not None and cell.font.b:
                length = math.ceil(length * BOLD_WIDTH)
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, length in widths.items():
        # +2: room for the auto-filter button and the cell padding.
        width = min(max(length + 2, minimum), maximum)
        ws.column_dimensions[get_column_letter(column)].width = width


def _display_length(value: object) -> int:
    if isinstance(value, datetime.datetime):
        return len("00.00.0000 00:00")
    if isinstance(value, datetime.date):
        return len("00.00.0000")
    return max((len(line) for line in str(value).split("\n")), default=0)


def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines a wrapped cell of this width (in characters) shows the text on.

    Neither Excel nor LibreOffice fits the height of a row written with wrapped text (nor
    ever of merged cells): the writer sets it, breaking lines at spaces as they do.
    """
    if len(text) <= _CACHED_TEXT_LENGTH:
        return _cached_lines(text, width, bold)
    return _count_lines(text, width, bold)


# A streamed export repeats each meeting's title and topic on every row; only short texts
# are kept, so the cache stays small whatever the resolutions say.
_CACHED_TEXT_LENGTH = 300


@functools.lru_cache(maxsize=2048)
def _cached_lines(text: str, width: float, bold: bool) -> int:
    return _count_lines(text, width, bold)


def _count_lines(text: str, width: float, bold: bool) -> int:
    capacity = max((width - 1) / (BOLD_WIDTH if bold else 1.0), 1.0)
    lines = 0
    for paragraph in text.split("\n"):
        if len(paragraph) <= capacity:
            lines += 1
            continue
        used = 0
        lines += 1
        for word in paragraph.split(" "):
            size = len(word)
            if used and used + 1 + size > capacity:
                lines += 1
                used = 0
            # A word longer than the line is broken across lines.
            while size > capacity:
                size -= capacity
                lines += 1
            used = used + 1 + size if used else size
    return lines


def fit_row_heights(ws: Worksheet, *, first_row: int = 1) -> None:
    """Row heights that show every wrapped cell whole, merged ranges included."""
    widths = {
        index: ws.column_dimensions[get_column_letter(index)].width or 13
        for index in range(1, ws.max_column + 1)
    }
    spans = {
        (cell_range.min_row, cell_range.min_col): sum(
            widths.get(c, 13) for c in range(cell_range.min_col, cell_range.max_col + 1)
        )
        for cell_range in ws.merged_cells.ranges
    }
    for row in ws.iter_rows(min_row=first_row):
        height = 0.0
        for cell in row:
            if type(cell.value) is not str or not cell.alignment.wrap_text:
                continue
            width = spans.get((cell.row, cell.column), widths.get(cell.column, 13))
            font = cell.font
            scale = (font.sz or 11) / 11 if font is not None else 1.0
            lines = wrapped_lines(cell.value, width / scale, bold=bool(font is not None and font.b))
            height = max(height, lines * LINE_HEIGHT * scale)
        if height > LINE_HEIGHT:
            ws.row_dimensions[row[0].row].height = height


@dataclass(frozen=True)
class PagePlan:
    """How a sheet is printed: orientation, pages across, and the scale that gives."""

    landscape: bool
    pages_across: int
    scale: float  # the largest print scale at which the columns fit those pages
    # How many columns the first page across holds: text merged over more of them would be
    # cut at the page's edge.
    first_page_columns: int


def page_plan(
    widths: Sequence[float], *, landscape: bool | None = None, title_columns: int = 0
) -> PagePlan:
    """The fewest pages across that print these columns at PLANNED_PRINT_SCALE or larger.

    Excel and LibreOffice break pages between columns, never through one, and repeat the
    `title_columns` first columns on every page; the plan packs the columns the same way.
    Landscape when the columns are wider than a portrait page, unless the caller says.
    """
    widths = [w or 13 for w in widths] or [13]
    if landscape is None:
        landscape = sum(widths) > PORTRAIT_WIDTH
    printable = PRINTABLE_WIDTH[landscape]
    points = [w * POINTS_PER_CHARACTER + COLUMN_PADDING_POINTS for w in widths]
    for pages in range(1, len(points) + 1):
        scale = _largest_scale(points, printable, pages, title_columns)
        if scale >= PLANNED_PRINT_SCALE or pages == len(points):
            room, used, first = printable / scale, 0.0, 0
            for width in points:
                if first and used + width > room:
                    break
                used += width
                first += 1
            return PagePlan(landscape, pages, scale, first)
    raise AssertionError("unreachable")  # pragma: no cover


def _largest_scale(points: list[float], printable: float, pages: int, titles: int) -> float:
    # The scale only grows as fewer pages are needed, so a bisection finds the largest.
    low, high = 0.01, 1.0
    if _pages_needed(points, printable, 1.0, titles) <= pages:
        return 1.0
    for _ in range(30):
        middle = (low + high) / 2
        if _pages_needed(points, printable, middle, titles) <= pages:
            low = middle
        else:
            high = middle
    return low


def _pages_needed(points: list[float], printable: float, scale: float, titles: int) -> int:
    room = printable / scale
    repeated = sum(points[:titles])
    pages, used = 1, 0.0
    for index, width in enumerate(points):
        if used and used + width > room:
            pages += 1
            used = repeated if index >= titles else 0.0
        used += width
    return pages


def setup_page(ws: AnySheet, *, landscape: bool | None = None, title_columns: int = 0) -> None:
    """A4 at a readable scale: one page wide when the columns fit at 65 % or more, else as
    many pages across as keep that scale (page_plan()), read left to right, then down.

    `title_columns` first columns are printed on every page across (the row's name).
    Landscape when the columns are wider than a portrait page, unless the caller says.
    """
    widths = [
        dimension.width or 13
        for _, dimension in sorted(
            ws.column_dimensions.items(), key=lambda item: column_index_from_string(item[0])
        )
        if not dimension.hidden
    ]
    plan = page_plan(widths, landscape=landscape, title_columns=title_columns)
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = (
        Worksheet.ORIENTATION_LANDSCAPE if plan.landscape else Worksheet.ORIENTATION_PORTRAIT
    )
    ws.page_setup.fitToWidth = plan.pages_across
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if plan.pages_across > 1:
        # A row's halves on facing pages, not all the left halves first.
        ws.page_setup.pageOrder = "overThenDown"
        if title_columns:
            ws.print_title_cols = f"A:{get_column_letter(title_columns)}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.HeaderFooter.oddFooter.center.text = "&P / &N"


def set_properties(wb: Workbook, *, title: str) -> None:
    """The file's title and author as Excel's «Properties» shows them."""
    wb.properties.title = " ".join(cell_text(title).split())[:255]
    wb.properties.creator = settings.CLUB_NAME
    wb.properties.lastModifiedBy = settings.CLUB_NAME
    wb.properties.language = "ru-RU"


def workbook_bytes(wb: Workbook) -> bytes:
    """The saved workbook (.xlsx) as bytes."""
    buffer = BytesIO()
    wb.save(buffer)
    return _keep_carriage_returns(buffer.getvalue())


def _keep_carriage_returns(data: bytes) -> bytes:
    # openpyxl's ElementTree writer puts a CR into the XML raw, and every XML reader (Excel,
    # openpyxl) turns a raw CR into LF. Written as the reference &#13; it survives. A CR can
    # stand only in text there (attributes escape it), so replacing every raw CR is exact.
    with zipfile.ZipFile(BytesIO(data)) as source:
        sheets = [
            info
            for info in source.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        ]
        if not any(_contains_cr(source, info) for info in sheets):
            return data
        out = BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                payload = source.read(info)
                if info in sheets:
                    payload = payload.replace(b"\r", b"&#13;")
                target.writestr(info, payload)
        return out.getvalue()


def _contains_cr(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    # Read in chunks: a large export's sheet is checked without holding all its XML.
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            if b"\r" in chunk:
                return True
    return False
