"""Workbooks and Word files read back by LibreOffice (Debian's libreoffice-calc and -writer).

Calc: every sheet's cells as text as Calc shows them (a CSV export per sheet, Russian locale)
and what the flat .fods says of the layout: row heights, print titles, print ranges, page
orientation and scale. Writer: the plain text (its own text export, list numbers included)
and the paragraphs with their styles and heading levels (.fodt), headers and footers.

Every read is one `soffice --headless --convert-to` run over a batch of files: start-up costs
1–3 s a run, then a file takes a fraction of a second. Each `LibreOffice` has a user profile of
its own: two soffice processes on one profile clash (one exits 1 and writes nothing), and other
test runs on the machine use theirs. Frozen panes are not here: a headless conversion has no
view, so LibreOffice writes none (only UNO would show them; openpyxl tests read them).
"""

import csv
import hashlib
import itertools
import os
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import ClientFailed, require, run

# Every sheet to its own UTF-8 CSV, `<file>-<sheet>.csv`. The filter's tokens: separator 44
# (,), text quote 34 ("), charset 76 (UTF-8), first row 1, (cell formats: import only),
# language 0 (the profile's: ru-RU below), quoted as text false, detect special numbers true,
# **save as shown true** (dates «23.06.2021», numbers «1 234,50», as a user sees them),
# formulas false (their values), trim spaces false, sheet -1 (all).
CSV_EVERY_SHEET = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
WRITER_TEXT = "txt:Text (encoded):UTF8"

# The profile's settings before its first start: a Russian LibreOffice, as our users have (the
# locale decides «1 234,50» over «1,234.50»), and no Java (LibreOffice needs none to convert).
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"\
><value>ru-RU</value></prop></item>
<item oor:path="/org.openoffice.Office.Java/VirtualMachine"><prop oor:name="Enable" oor:op="fuse"\
><value>false</value></prop></item>
</oor:items>
"""

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}
POINTS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "pc": 12.0, "px": 0.75}

File = bytes | os.PathLike | str


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def points(length: str | None) -> float | None:
    """An ODF length («0.4165in», «15pt», «1cm») in points."""
    if not length:
        return None
    match = re.fullmatch(r"(-?[\d.]+)([a-z]+)", length)
    if not match or match.group(2) not in POINTS:
        raise ValueError(f"not an ODF length: {length!r}")
    return float(match.group(1)) * POINTS[match.group(2)]


# -- Calc ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowLayout:
    """A row's height as LibreOffice stores it. `optimal` rows are sized by LibreOffice when it
    lays the sheet out again (on an edit), not on opening: a wrapped cell in an «optimal» row
    of one line's height shows as a fragment until then."""

    height_pt: float | None
    optimal: bool


@dataclass(frozen=True)
class PageSetup:
    orientation: str | None  # "portrait" or "landscape"
    width_pt: float | None
    height_pt: float | None
    scale_percent: int | None  # a fixed print scale («70%»)
    fit_width: int | None  # fit to this many pages across (no percentage is stored then)
    fit_height: int | None  # ... and down (0 or None: as many as needed)
    fit_pages: int | None  # fit to this many pages in all


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[str]]  # the used area, cells as shown; "" for an empty cell
    row_layout: list[RowLayout]  # one for each of `rows`
    header_rows: tuple[int, ...]  # 1-based numbers of the rows printed on every page
    print_ranges: str | None  # as the .fods says it: "Протокол.A1:Протокол.H30"
    page: PageSetup | None

    def cell(self, ref: str) -> str:
        """The text of a cell by its address («B3»), "" outside the used area."""
        match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        if not match:
            raise ValueError(f"not a cell address: {ref!r}")
        column = 0
        for letter in match.group(1):
            column = column * 26 + ord(letter) - 64
        row = int(match.group(2))
        if row > len(self.rows) or column > len(self.rows[row - 1]):
            return ""
        return self.rows[row - 1][column - 1]

    @property
    def text(self) -> str:
        """Every non-empty cell, a row to a line."""
        return "\n".join(" ".join(c for c in row if c) for row in self.rows)


@dataclass(frozen=True)
class Workbook:
    sheets: dict[str, Sheet]  # in the workbook's order

    def __getitem__(self, name: str) -> Sheet:
        return self.sheets[name]

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    @property
    def text(self) -> str:
        return "\n".join(sheet.text for sheet in self.sheets.values())


# -- Writer -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str  # the paragraph style's display name («Heading 1», «List Number», «Standard»)
    heading_level: int | None  # outline level of a heading, None for a paragraph
    in_table: bool


@dataclass(frozen=True)
class Document:
    text: str  # Writer's own plain-text export: list numbers included, a table cell a line
    paragraphs: list[Paragraph] = field(default_factory=list)
    # Page headers and footers by page style, fields as {PAGE} and {NUMPAGES}
    headers: list[str] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)

    @property
    def headings(self) -> list[tuple[int, str]]:
        return [(p.heading_level, p.text) for p in self.paragraphs if p.heading_level]


# -- The converter ------------------------------------------------------------------------------


class LibreOffice:
    """One soffice user profile under `workdir`; each method converts a whole batch in one run.

    Files are bytes (with the suffix the method implies) or paths. Results are cached by the
    files' content, so reading the same bytes again costs nothing.
    """

    def __init__(self, workdir: Path, *, soffice: str | None = None, timeout: float = 300):
        self.soffice = (
            soffice
            or os.environ.get("SOFFICE_PATH")
            or require("soffice", package="libreoffice-calc libreoffice-writer")
        )
        self.workdir = Path(workdir)
        self.profile = self.workdir / "profile"
        self.timeout = timeout
        self._batches = itertools.count(1)
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], object] = {}
        settings = self.profile / "user" / "registrymodifications.xcu"
        if not settings.exists():
            settings.parent.mkdir(parents=True, exist_ok=True)
            settings.write_text(PROFILE_SETTINGS, encoding="utf-8")

    # Calc

    def read_workbooks(self, files: Sequence[File], *, layout: bool = True) -> list[Workbook]:
        """Every workbook as Calc reads it: two runs for the batch (CSV, then .fods for the
        sheet order and layout); with layout=False the sheets come in file-name order."""
        return self._cached("calc" if layout else "calc-cells", files, ".xlsx", self._calc, layout)

    def read_workbook(self, file: File) -> Workbook:
        return self.read_workbooks([file])[0]

    def _calc(self, sources: list[Path], layout: bool) -> list[Workbook]:
        out_csv = self.convert(sources, CSV_EVERY_SHEET)
        out_fods = self.convert(sources, "fods") if layout else None
        books = []
        for source in sources:
            prefix = f"{source.stem}-"
            csv_files = {p.stem[len(prefix) :]: p for p in out_csv.glob(f"{source.stem}-*.csv")}
            if not csv_files:
                raise ClientFailed(f"LibreOffice wrote no sheet of {source.name}")
            cells = {name: _read_csv(path) for name, path in csv_files.items()}
            if out_fods is None:
                books.append(Workbook({n: _sheet(n, cells[n], None) for n in sorted(cells)}))
                continue
            fods = _expect(out_fods / f"{source.stem}.fods", source)
            root = ET.parse(fods).getroot()
            sheets = {}
            for table in root.iter(_q("table:table")):
                name = table.get(_q("table:name"))
                if name not in cells:
                    raise ClientFailed(f"LibreOffice wrote no CSV of sheet {name!r}")
                sheets[name] = _sheet(name, cells.pop(name), (root, table))
            if cells:
                raise ClientFailed(f"CSV sheets {sorted(cells)} are not in {fods.name}")
            books.append(Workbook(sheets))
        return books

    # Writer

    def read_documents(self, files: Sequence[File]) -> list[Document]:
        """Every Word file as Writer reads it: two runs for the batch (text, then .fodt)."""
        return self._cached("writer", files, ".docx", self._writer)

    def read_document(self, file: File) -> Document:
        return self.read_documents([file])[0]

    def _writer(self, sources: list[Path]) -> list[Document]:
        out_text = self.convert(sources, WRITER_TEXT)
        out_fodt = self.convert(sources, "fodt")
        documents = []
        for source in sources:
            text = _expect(out_text / f"{source.stem}.txt", source).read_text(encoding="utf-8-sig")
            root = ET.parse(_expect(out_fodt / f"{source.stem}.fodt", source)).getroot()
            documents.append(Document(text=text, **_writer_structure(root)))
        return documents

    # Any format LibreOffice writes

    def to_pdf(self, files: Sequence[File], *, suffix: str = ".docx") -> list[Path]:
        """The files printed to PDF by LibreOffice (pages, print scale, where text lands), for
        poppler to read; bytes are taken as `suffix` files."""
        return self._cached("pdf", files, suffix, self._pdf)

    def _pdf(self, sources: list[Path]) -> list[Path]:
        outdir = self.convert(sources, "pdf")
        return [_expect(outdir / f"{s.stem}.pdf", s) for s in sources]

    def convert(self, sources: Sequence[Path], target: str) -> Path:
        """One soffice run converting every source to `target`; returns the output folder."""
        outdir = self.workdir / f"out-{next(self._batches)}"
        outdir.mkdir(parents=True)
        with self._lock:
            result = run(
                [
                    self.soffice,
                    f"-env:UserInstallation={self.profile.resolve().as_uri()}",
                    "--headless",
                    "--norestore",
                    "--nolockcheck",
                    "--convert-to",
                    target,
                    "--outdir",
                    str(outdir),
                    *map(str, sources),
                ],
                timeout=self.timeout,
            )
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
        if errors:
            raise ClientFailed(f"LibreOffice: {'; '.join(errors)}")
        return outdir

    def _cached(self, kind: str, files: Sequence[File], suffix: str, convert, *args) -> list:
        keyed = []
        for file in files:
            data, name = _content(file, suffix)
            keyed.append(((kind, hashlib.sha256(data).hexdigest()), data, name))
        missing = {key: (data, name) for key, data, name in keyed if key not in self._cache}
        if missing:
            indir = self.workdir / f"in-{next(self._batches)}"
            indir.mkdir(parents=True)
            sources = []
            for number, (data, name) in enumerate(missing.values(), 1):
                # Unique short stems: outputs are named after them, sheets after a dash.
                source = indir / f"f{number:04d}{Path(name).suffix}"
                source.write_bytes(data)
                sources.append(source)
            for key, result in zip(missing, convert(sources, *args), strict=True):
                self._cache[key] = result
        return [self._cache[key] for key, _, _ in keyed]


def _content(file: File, suffix: str) -> tuple[bytes, str]:
    if isinstance(file, bytes):
        return file, f"file{suffix}"
    path = Path(file)
    return path.read_bytes(), path.name


def _expect(path: Path, source: Path) -> Path:
    if not path.exists():
        raise ClientFailed(f"LibreOffice wrote no {path.suffix} for {source.name}")
    return path


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    # An empty sheet is written as one empty line.
    return [] if rows == [[]] else rows


def _sheet(name: str, rows: list[list[str]], fods: tuple[ET.Element, ET.Element] | None) -> Sheet:
    if fods is None:
        return Sheet(name, rows, [], (), None, None)
    root, table = fods
    row_styles = {}
    for style in root.iter(_q("style:style")):
        props = style.find("style:table-row-properties", NS)
        if props is not None:
            row_styles[style.get(_q("style:name"))] = RowLayout(
                points(props.get(_q("style:row-height"))),
                props.get(_q("style:use-optimal-row-height")) == "true",
            )
    layout, header_rows = [], []
    header_block = table.find("table:table-header-rows", NS)
    header_elements = (
        set(header_block.iter(_q("table:table-row"))) if header_block is not None else set()
    )
    for row in table.iter(_q("table:table-row")):
        repeated = int(row.get(_q("table:number-rows-repeated"), "1"))
        # The last row of a sheet repeats to its end (a million rows): stop at the used area.
        repeated = max(0, min(repeated, len(rows) - len(layout)))
        if row in header_elements:
            header_rows.extend(range(len(layout) + 1, len(layout) + repeated + 1))
        style = row_styles.get(row.get(_q("table:style-name")), RowLayout(None, True))
        layout.extend([style] * repeated)
    return Sheet(
        name=name,
        rows=rows,
        row_layout=layout,
        header_rows=tuple(header_rows),
        print_ranges=table.get(_q("table:print-ranges")),
        page=_page_setup(root, table),
    )


def _page_setup(root: ET.Element, table: ET.Element) -> PageSetup | None:
    """The page layout of the sheet: table style → master page → page layout."""

    def named(tag: str, name: str | None) -> ET.Element | None:
        return next((e for e in root.iter(_q(tag)) if e.get(_q("style:name")) == name), None)

    table_style = named("style:style", table.get(_q("table:style-name")))
    if table_style is None:
        return None
    master = named("style:master-page", table_style.get(_q("style:master-page-name")))
    if master is None:
        return None
    page_layout = named("style:page-layout", master.get(_q("style:page-layout-name")))
    if page_layout is None:
        return None
    props = page_layout.find("style:page-layout-properties", NS)
    if props is None:
        return None

    def number(attribute: str) -> int | None:
        value = props.get(_q(attribute))
        return int(value.rstrip("%")) if value else None

    return PageSetup(
        orientation=props.get(_q("style:print-orientation")),
        width_pt=points(props.get(_q("fo:page-width"))),
        height_pt=points(props.get(_q("fo:page-height"))),
        scale_percent=number("style:scale-to"),
        fit_width=number("style:scale-to-X"),
        fit_height=number("style:scale-to-Y"),
        fit_pages=number("style:scale-to-pages"),
    )


def _odf_text(element: ET.Element, fields: bool = False) -> str:
    """The text of a paragraph: spaces (text:s), tabs and line breaks as Writer shows them."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == _q("text:s"):
            parts.append(" " * int(child.get(_q("text:c"), "1")))
        elif tag == _q("text:tab"):
            parts.append("\t")
        elif tag == _q("text:line-break"):
            parts.append("\n")
        elif fields and tag == _q("text:page-number"):
            parts.append("{PAGE}")
        elif fields and tag == _q("text:page-count"):
            parts.append("{NUMPAGES}")
        elif tag in (_q("text:note"), _q("office:annotation")):
            pass
        else:
            parts.append(_odf_text(child, fields))
        parts.append(child.tail or "")
    return "".join(parts)


def _writer_structure(root: ET.Element) -> dict:
    styles = {s.get(_q("style:name")): s for s in root.iter(_q("style:style"))}

    def display_name(name: str | None) -> str:
        # An automatic style (P1) stands for its parent, the style the author chose.
        style = styles.get(name)
        while style is not None and style.get(_q("style:display-name")) is None:
            parent = style.get(_q("style:parent-style-name"))
            if parent is None:
                break
            name, style = parent, styles.get(parent)
        if style is not None and style.get(_q("style:display-name")):
            return style.get(_q("style:display-name"))
        return (name or "").replace("_20_", " ")

    body = root.find("office:body/office:text", NS)
    paragraphs = []

    def walk(element: ET.Element, in_table: bool) -> None:
        for child in element:
            if child.tag in (_q("text:p"), _q("text:h")):
                level = child.get(_q("text:outline-level")) if child.tag == _q("text:h") else None
                paragraphs.append(
                    Paragraph(
                        text=_odf_text(child),
                        style=display_name(child.get(_q("text:style-name"))),
                        heading_level=int(level) if level else None,
                        in_table=in_table,
                    )
                )
            else:
                walk(child, in_table or child.tag == _q("table:table"))

    if body is not None:
        walk(body, False)
    headers, footers = [], []
    for master in root.iter(_q("style:master-page")):
        for kind, found in (("header", headers), ("footer", footers)):
            for part in master.findall(f"style:{kind}", NS):
                text = "\n".join(_odf_text(p, fields=True) for p in _paragraphs_in(part))
                if text.strip():
                    found.append(text)
    return {"paragraphs": paragraphs, "headers": headers, "footers": footers}


def _paragraphs_in(element: ET.Element) -> Iterable[ET.Element]:
    for child in element.iter():
        if child.tag in (_q("text:p"), _q("text:h")):
            yield child
