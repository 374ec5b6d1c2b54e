"""Hostile workbooks written straight into a zip: the upload guard's probes, in the suite and in
`make bench`.

Each is a few lines of XML repeated into a deflated entry as it is written, so a million rows
cost a fraction of a second and a megabyte of memory to make: nothing is materialised, by
openpyxl or otherwise. The three are those an outside probe used to take the portal down; each
also carries the hidden marks of a report's template (the defined names), so that a reader
without the guard would take it for one and read it whole.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

# Written in pieces of about this many bytes.
_PIECE = 1 << 20


@dataclass(frozen=True)
class Probe:
    """One hostile workbook: its name in figures and messages, and its bytes."""

    name: str
    content: bytes


def _repeat(unit: bytes, count: int) -> Iterable[bytes]:
    per_piece = max(1, _PIECE // len(unit))
    block = unit * per_piece
    full, rest = divmod(count, per_piece)
    for _ in range(full):
        yield block
    if rest:
        yield unit * rest


def workbook(
    *,
    rows: Iterable[bytes],
    shared_strings: Iterable[bytes] = (),
    defined_names: dict[str, str] | None = None,
    title: str = "Лист1",
) -> bytes:
    """A one-sheet .xlsx from pieces of the sheet's <sheetData> and of the shared strings' <sst>.

    The pieces are streamed into the archive as they come: pass generators for large parts.
    """
    names = "".join(
        f"<definedName name={quoteattr(name)}>{escape(value)}</definedName>"
        for name, value in (defined_names or {}).items()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{CT}.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{CT}.sharedStrings+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
            f'xmlns:r="{DOC_RELS}"><sheets><sheet name={quoteattr(title)} sheetId="1" '
            f'r:id="rId1"/></sheets><definedNames>{names}</definedNames></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>',
        )
        _stream(
            archive,
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode(),
            shared_strings,
            b"</sst>",
        )
        _stream(
            archive,
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode(),
            rows,
            b"</sheetData></worksheet>",
        )
    return buffer.getvalue()


def _stream(archive, name: str, head: bytes, pieces: Iterable[bytes], tail: bytes) -> None:
    with archive.open(name, "w") as entry:
        entry.write(head)
        for piece in pieces:
            entry.write(piece)
        entry.write(tail)


def inline(text: str, ref: str = "") -> bytes:
    """A cell holding text as an inline string (no shared string needed)."""
    at = f' r="{ref}"' if ref else ""
    return f'<c{at} t="inlineStr"><is><t>{escape(text)}</t></is></c>'.encode()


def number(value: int, ref: str = "") -> bytes:
    at = f' r="{ref}"' if ref else ""
    return f"<c{at}><v>{value}</v></c>".encode()


def table_names(marks: dict[str, str], *, title: str, last_row: int) -> dict[str, str]:
    """A template's defined names: its marks as text, its table (columns A to E) to last_row."""
    names = {name: '"' + text.replace('"', '""') + '"' for name, text in marks.items()}
    names["PORTAL_TABLE"] = f"'{title}'!$A$1:$E${last_row}"
    return names


MILLION = 1_000_000
SHARED_STRINGS = 2_700_000
REPEATED = 550_000


def million_rows(marks: dict[str, str], *, title: str = "Лист1") -> Probe:
    """1,000,000 rows of one tiny cell each, all in the table (48 MB unpacked)."""
    row = b'<row spans="1:5"><c s="0" t="n"><v>1</v></c></row>'
    return Probe(
        "1,000,000 rows",
        workbook(
            rows=_repeat(row, MILLION),
            defined_names=table_names(marks, title=title, last_row=MILLION),
            title=title,
        ),
    )


def shared_string_flood(
    marks: dict[str, str], lines: dict[str, int], *, title: str = "Лист1"
) -> Probe:
    """A correct little template (a code and a value a row) carrying 2.7 million unused shared
    strings (46 MB unpacked): a reader without the guard loads them all, then imports it."""
    body = b"".join(
        b"<row>" + inline(code) + b"<c/><c/><c/>" + number(value) + b"</row>"
        for code, value in lines.items()
    )
    return Probe(
        "2,700,000 shared strings",
        workbook(
            rows=[body],
            shared_strings=_repeat(b"<si><t>x</t></si>", SHARED_STRINGS),
            defined_names=table_names(marks, title=title, last_row=max(len(lines), 1)),
            title=title,
        ),
    )


def repeated_rows(marks: dict[str, str], code: str, *, title: str = "Лист1") -> Probe:
    """One row of the table, an indicator's code and its value, 550,000 times over under the
    same row number (48 MB unpacked): a reader parses every copy."""
    row = b'<row r="1">' + inline(code, "A1") + number(5, "E1") + b"</row>"
    return Probe(
        "550,000 repeated rows",
        workbook(
            rows=_repeat(row, REPEATED),
            defined_names=table_names(marks, title=title, last_row=1),
            title=title,
        ),
    )


def probes(marks: dict[str, str], lines: dict[str, int], *, title: str = "Лист1") -> list[Probe]:
    """The three, for a report's template with these marks and lines (code: value)."""
    code = next(iter(lines))
    return [
        million_rows(marks, title=title),
        shared_string_flood(marks, lines, title=title),
        repeated_rows(marks, code, title=title),
    ]
