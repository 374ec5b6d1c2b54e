"""PDFs read back by poppler (Debian's poppler-utils), the engine of most Linux PDF viewers.

`pdfinfo` (tagged? pages, page sizes, title) and its XMP metadata (the PDF/A identification),
`pdffonts` (is every font embedded, with a Unicode map?), `pdftotext -bbox-layout` (the text
in poppler's reading order, word by word with its box) and what a test asks of them: the text
of the PDF as a reader copies it, and the words outside the printable area of their page.
Each function takes a path or the PDF's bytes.
"""

import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from . import ClientFailed, require, run

Pdf = bytes | os.PathLike | str
MM = 72 / 25.4  # PDF points per millimetre
XHTML = {"x": "http://www.w3.org/1999/xhtml"}
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
# Hyphens a layout engine adds where it breaks a word (WeasyPrint's is U+2010, soft hyphens
# U+00AD): the word is whole without them. A hyphen typed in the text (U+002D) stays.
BREAK_HYPHENS = "\u2010\u00ad"


@contextmanager
def _path(pdf: Pdf) -> Iterator[str]:
    if not isinstance(pdf, bytes):
        yield str(pdf)
        return
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        yield f.name


def _tool(name: str) -> str:
    return require(name, package="poppler-utils")


# -- pdfinfo ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfInfo:
    fields: dict[str, str]  # pdfinfo's lines as they are: "Tagged" -> "no", "Pages" -> "2"
    page_sizes: list[tuple[float, float]]  # width, height in points, page by page
    metadata: str  # the XMP packet (`pdfinfo -meta`), "" if there is none

    @property
    def tagged(self) -> bool:
        return self.fields.get("Tagged") == "yes"

    @property
    def pages(self) -> int:
        return int(self.fields["Pages"])

    @property
    def title(self) -> str | None:
        return self.fields.get("Title")

    @property
    def encrypted(self) -> bool:
        return not self.fields.get("Encrypted", "no").startswith("no")

    @property
    def pdfa(self) -> tuple[str, str] | None:
        """(part, conformance) of the PDF/A identification in the XMP metadata: ("2", "A")."""
        return pdfa_identification(self.metadata)


def pdfinfo(pdf: Pdf) -> PdfInfo:
    with _path(pdf) as path:
        # -l 9999 lists every page's size («Page    2 size: 595.276 x 841.89 pts (A4)»).
        text = run([_tool("pdfinfo"), "-f", "1", "-l", "9999", path]).stdout
        metadata = run([_tool("pdfinfo"), "-meta", path]).stdout
    fields, sizes = {}, []
    for line in text.splitlines():
        size = re.match(r"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts", line)
        if size:
            sizes.append((float(size.group(1)), float(size.group(2))))
        elif ":" in line and not re.match(r"Page\s+\d", line):
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return PdfInfo(fields=fields, page_sizes=sizes, metadata=metadata.strip())


def pdfa_identification(xmp: str) -> tuple[str, str] | None:
    """pdfaid:part and pdfaid:conformance, written as attributes or as elements."""
    if not xmp:
        return None
    start = xmp.find("<x:xmpmeta")
    end = xmp.rfind("</x:xmpmeta>")
    if start < 0 or end < 0:
        return None
    root = ET.fromstring(xmp[start : end + len("</x:xmpmeta>")])
    found = {}
    for element in root.iter():
        for name in ("part", "conformance"):
            value = element.get(f"{{{PDFAID}}}{name}")
            if value is None and element.tag == f"{{{PDFAID}}}{name}":
                value = element.text
            if value:
                found[name] = value.strip()
    if "part" not in found:
        return None
    return found["part"], found.get("conformance", "")


# -- pdffonts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Font:
    name: str
    type: str
    encoding: str
    embedded: bool
    subset: bool
    unicode: bool  # a ToUnicode map: the text can be copied and searched


def pdffonts(pdf: Pdf) -> list[Font]:
    with _path(pdf) as path:
        lines = run([_tool("pdffonts"), path]).stdout.splitlines()
    if len(lines) < 2 or not lines[1].startswith("---"):
        raise ClientFailed(f"pdffonts wrote no table: {lines[:2]}")
    # Columns by the dashes under the header: a type can hold a space («CID TrueType»).
    spans = [m.span() for m in re.finditer(r"-+", lines[1])]
    fonts = []
    for line in lines[2:]:
        if not line.strip():
            continue
        cols = [line[a:b].strip() for a, b in spans]
        cols[-1] = line[spans[-1][0] :].strip()
        fonts.append(
            Font(cols[0], cols[1], cols[2], cols[3] == "yes", cols[4] == "yes", cols[5] == "yes")
        )
    return fonts


# -- the page margins -------------------------------------------------------------------------


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres, as CSS gives them (top, right, bottom, left)."""

    top: float
    right: float
    bottom: float
    left: float


# static/pdf/print.css: `margin: 20mm 15mm 20mm 30mm` (30 mm on the left for binding).
PRINT_CSS_MARGINS = Margins(20, 15, 20, 30)


# -- pdftotext ----------------------------------------------------------------------------------


def pdftotext(pdf: Pdf, *, layout: bool = False) -> str:
    """poppler's plain text. Beware: it joins a line ending in «-» to the next one and drops
    the hyphen («онлайн-\\nрежиме» → «онлайнрежиме»); `reading_text()` does not."""
    with _path(pdf) as path:
        return run([_tool("pdftotext"), *(["-layout"] if layout else []), path, "-"]).stdout


@dataclass(frozen=True)
class Word:
    page: int  # 1-based
    text: str
    x0: float
    y0: float  # from the top of the page
    x1: float
    y1: float
    line: int  # the line's number in the document, for re-joining words into lines
    block: int


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]


def pages(pdf: Pdf) -> list[Page]:
    """Every page with its words and their boxes, in poppler's reading order."""
    with _path(pdf) as path:
        xhtml = run([_tool("pdftotext"), "-bbox-layout", path, "-"]).stdout
    root = ET.fromstring(xhtml)
    found, lines, blocks = [], 0, 0
    for number, page in enumerate(root.iterfind(".//x:page", XHTML), 1):
        words = []
        for block in page.iterfind(".//x:block", XHTML):
            blocks += 1
            for line in block.iterfind("x:line", XHTML):
                lines += 1
                for word in line.iterfind("x:word", XHTML):
                    x0, y0, x1, y1 = (float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
                    words.append(Word(number, word.text or "", x0, y0, x1, y1, lines, blocks))
        found.append(Page(number, float(page.get("width")), float(page.get("height")), words))
    return found


def reading_text(
    source: Pdf | Iterable[Page], *, running_heads: bool = False, margins: Margins | None = None
) -> str:
    """The text as a reader gets it: words in poppler's order, a word broken at a line's end
    (or a page's) made whole again (an added hyphen dropped, a typed one kept), whitespace
    folded to one space. Compare it with sentences folded by `fold()`.

    Words wholly inside the top or bottom margin (page numbers, «Страница 1 из 2») are left
    out, as a reader skips them where a sentence runs on to the next page, unless
    `running_heads`."""
    pages_ = pages(source) if isinstance(source, bytes | str | os.PathLike) else list(source)
    margins = margins or PRINT_CSS_MARGINS
    pieces: list[str] = []
    previous_line = None
    for page in pages_:
        top, bottom = margins.top * MM, page.height - margins.bottom * MM
        for word in page.words:
            if not running_heads and (word.y1 <= top or word.y0 >= bottom):
                continue
            if pieces and word.line != previous_line:
                last = pieces[-1]
                if last and last[-1] in BREAK_HYPHENS:
                    pieces[-1] = last[:-1]
                elif not re.search(r"\w-$", last):
                    pieces.append(" ")
            elif pieces:
                pieces.append(" ")
            pieces.append(word.text)
            previous_line = word.line
    return fold("".join(pieces))


def fold(text: str) -> str:
    """Whitespace folded to single spaces, soft hyphens dropped."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


# -- the printable area -------------------------------------------------------------------------


def outside_printable_area(
    source: Pdf | Iterable[Page],
    *,
    margins: Margins = PRINT_CSS_MARGINS,
    tolerance: float = 0.5,
    within_margins_vertically: bool = False,
) -> list[str]:
    """Every word that is not inside the printable area of its page, as «p2 'word' x 10–604
    (area 85–553)»; [] when all fit. Horizontally a word stays between the side margins (the
    running heads and page numbers too); vertically it only has to be on the paper, since
    running heads and footers live in the top and bottom margins, unless
    `within_margins_vertically`. The tolerance covers font boxes a hair wider than the ink.
    Each page's own size is used (a landscape page among portrait ones)."""
    pages_ = pages(source) if isinstance(source, bytes | str | os.PathLike) else list(source)
    found = []
    for page in pages_:
        left, right = margins.left * MM, page.width - margins.right * MM
        top, bottom = (
            (margins.top * MM, page.height - margins.bottom * MM)
            if within_margins_vertically
            else (0.0, page.height)
        )
        for w in page.words:
            if (
                w.x0 < left - tolerance
                or w.x1 > right + tolerance
                or w.y0 < top - tolerance
                or w.y1 > bottom + tolerance
            ):
                found.append(
                    f"p{page.number} {w.text[:30]!r} x {w.x0:.0f}–{w.x1:.0f} y {w.y0:.0f}–"
                    f"{w.y1:.0f} (area x {left:.0f}–{right:.0f}, y {top:.0f}–{bottom:.0f})"
                )
    return found


def page_of(source: Pdf | Iterable[Page], text: str, *, running_heads: bool = False) -> list[int]:
    """The numbers of the pages whose reading text contains `text` (folded); the running
    heads and footers count only if `running_heads`."""
    pages_ = pages(source) if isinstance(source, bytes | str | os.PathLike) else list(source)
    wanted = fold(text)
    return [p.number for p in pages_ if wanted in reading_text([p], running_heads=running_heads)]
