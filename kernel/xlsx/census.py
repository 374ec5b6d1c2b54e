"""What an uploaded workbook would cost to read, counted by streaming its XML before any reader.

openpyxl (like every reader) materialises what a workbook declares: every shared string when
it opens the file, an object per cell and an empty row for every row number skipped while a
sheet is read. A 150 KB upload can declare a million rows or 2.7 million strings. So each part
of the archive is inflated in chunks and fed to expat, which counts rows, cells, shared
strings and elements as it goes and stops at the first limit passed: a hostile file costs
milliseconds and a few megabytes, whatever it declares.

openpyxl parses with expat too (through defusedxml), so whatever expat refuses to parse in a
part, openpyxl cannot read either: a part that stops parsing (a picture, a damaged sheet) is
counted up to that point, which bounds what any expat reader could take from it, and the
reader reports the damage in its own words later. Parts are judged by what they hold, never
by their names.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from defusedxml import DTDForbidden

# Inflated and parsed in pieces of this size.
CHUNK_BYTES = 64 * 1024
# Excel's longest cell is 32,767 characters: escaped as XML (&amp; takes five bytes) and with
# the markup of its runs it stays under 200 KB. So far apart no two elements of a legitimate
# part begin; a longer stretch is one text, comment or attribute a reader would hold whole.
MAX_STRETCH_BYTES = 320 * 1024

_ROW, _CELL, _STRING, _OTHER = range(4)
_KINDS = {"row": _ROW, "c": _CELL, "si": _STRING}


@dataclass(frozen=True)
class WorkbookLimits:
    """What one kind of upload may hold. Rows count both the row elements and the highest row
    number (a reader walks every row up to it); cells and elements count every sheet."""

    max_bytes: int
    max_unpacked: int
    max_entries: int
    max_rows: int
    max_cells: int
    max_shared_strings: int
    max_elements: int


@dataclass
class WorkbookCensus:
    rows: int = 0
    last_row: int = 0
    cells: int = 0
    shared_strings: int = 0
    elements: int = 0
    unpacked: int = 0


class LimitPassed(Exception):
    """The census stopped: the workbook holds more of `what` than the limit allows."""

    def __init__(self, what: str, limit: int):
        super().__init__(what)
        self.what = what
        self.limit = limit


class EntitiesDeclared(DTDForbidden):
    """A part declares a DTD: entity bombs and external entities are refused, not parsed (as
    defusedxml, which openpyxl parses with, would refuse them)."""


def count_workbook(archive: zipfile.ZipFile, limits: WorkbookLimits) -> WorkbookCensus:
    """Stream every part of the archive through expat, counting; raise LimitPassed at the first
    limit passed, EntitiesDeclared at a DTD. zipfile's own errors (a damaged entry) pass up."""
    census = WorkbookCensus()
    for info in archive.infolist():
        if not info.is_dir():
            _count_part(archive, info, census, limits)
    return census


def _count_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, census: WorkbookCensus, limits: WorkbookLimits
) -> None:
    tally = [0, 0, 0, 0]  # rows, cells, shared strings, other elements: since the last check
    # Names resolve to "namespace local": a prefix chosen to disguise a row changes nothing.
    parser = expat.ParserCreate(namespace_separator=" ")
    kinds: dict[str, int] = {}
    row_number = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row_number
        kind = kinds.get(name)
        if kind is None:
            kind = kinds[name] = _KINDS.get(name.rpartition(" ")[2], _OTHER)
        tally[kind] += 1
        if kind == _ROW:
            row_number = _row_number(attrs.get("r"), row_number)
            if row_number > census.last_row:
                census.last_row = row_number

    def refuse_dtd(name: str, *_args) -> None:
        raise EntitiesDeclared(name, None, None)

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    stretch = 0  # bytes fed since an element last began (to a chunk's precision)
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            census.unpacked += len(chunk)
            if census.unpacked > limits.max_unpacked:
                raise LimitPassed("unpacked", limits.max_unpacked)
            elements = census.elements
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError:
                return  # not XML (a picture) or damaged: nothing past this can be read
            finally:
                _add(census, tally, limits)
            if not chunk:
                return
            stretch = stretch + len(chunk) if census.elements == elements else 0
            if stretch > MAX_STRETCH_BYTES:
                raise LimitPassed("stretch", MAX_STRETCH_BYTES)


def _add(census: WorkbookCensus, tally: list[int], limits: WorkbookLimits) -> None:
    """Add a chunk's counts to the workbook's and check every limit."""
    rows, cells, strings, other = tally
    tally[:] = [0, 0, 0, 0]
    census.rows += rows
    census.cells += cells
    census.shared_strings += strings
    census.elements += rows + cells + strings + other
    if max(census.rows, census.last_row) > limits.max_rows:
        raise LimitPassed("rows", limits.max_rows)
    if census.cells > limits.max_cells:
        raise LimitPassed("cells", limits.max_cells)
    if census.shared_strings > limits.max_shared_strings:
        raise LimitPassed("shared_strings", limits.max_shared_strings)
    if census.elements > limits.max_elements:
        raise LimitPassed("elements", limits.max_elements)


def _row_number(text: str | None, previous: int) -> int:
    """The row number as openpyxl reads it: r as an integer (or a whole float), else the next."""
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return previous + 1  # openpyxl refuses the sheet; the count goes on
    return int(value) if value.is_integer() else previous + 1
