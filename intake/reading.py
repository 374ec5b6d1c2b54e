"""Turning an uploaded or pasted set of minutes into paragraphs, or refusing it with a reason.

A file is judged by its bytes, never by its name, and by what it would cost before it is
expanded: a .docx is a zip archive, so its entry count and the unpacked sizes it declares
are checked before python-docx reads it (zipfile never inflates an entry past its declared
size). Word's automatic list numbers are not in a paragraph's text; they are rebuilt from
numbering.xml the way Word counts them, so that numbered items are recognised.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# An upload of minutes: a Word file with a logo or a scanned signature stays well below this.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Text: about 250 pages. The 200-item set of the benchmark is some 80,000 characters.
MAX_TEXT_CHARS = 500_000
MAX_TEXT_BYTES = 2 * 1024 * 1024
# A .docx: what its zip may declare before any of it is read.
MAX_ZIP_ENTRIES = 1000
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_DOCUMENT_XML_BYTES = 8 * 1024 * 1024
# Tables nested in tables: a real document has two levels at most.
MAX_TABLE_DEPTH = 5

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


class IntakeRejected(Exception):
    """A document the intake cannot take, with the reason in Russian for the secretary."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as the reader sees it. ``label`` is the number or bullet Word draws in
    front of a list paragraph (it is not part of ``text``); ``text`` keeps the soft line
    breaks of the paragraph as «\\n»."""

    text: str
    label: str = ""
    level: int = 0
    blank_before: bool = False  # an empty line (or empty paragraph) came before it
    in_table: bool = False

    @property
    def shown(self) -> str:
        """The paragraph as printed: its list label, then its text."""
        return f"{self.label} {self.text}" if self.label else self.text


@dataclass(frozen=True)
class ReadDocument:
    paragraphs: tuple[Paragraph, ...]
    kind: str  # "txt" or "docx"
    encoding: str = ""

    @property
    def text(self) -> str:
        """The whole document as plain text, list labels included (the review screen's
        left-hand side)."""
        lines = []
        for paragraph in self.paragraphs:
            if paragraph.blank_before and lines:
                lines.append("")
            lines.append(paragraph.shown)
        return "\n".join(lines)


# ---------------------------------------------------------------------------- entry points


def read_upload(file: bytes | IO[bytes]) -> ReadDocument:
    """Paragraphs of an uploaded .txt or .docx (bytes or a file object such as Django's
    UploadedFile); ``IntakeRejected`` with the reason otherwise. The bytes decide what the
    file is, never its name."""
    data = _read_capped(file)
    if not data.strip():
        raise IntakeRejected(_("The file is empty."), "empty")
    if data.startswith(b"PK\x03\x04"):
        return _read_docx(data)
    _refuse_what_is_not_text(data)
    text, encoding = _decode_text(data)
    return read_text(text, kind="txt", encoding=encoding)


def read_text(text: str, *, kind: str = "txt", encoding: str = "") -> ReadDocument:
    """Paragraphs of pasted or decoded text: one a line, an empty line marking a gap."""
    if len(text) > MAX_TEXT_CHARS:
        raise _too_long(len(text))
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = []
    blank = False
    for line in text.split("\n"):
        line = line.rstrip()
        if not line.strip():
            blank = True
            continue
        paragraphs.append(Paragraph(text=line, blank_before=blank and bool(paragraphs)))
        blank = False
    if not paragraphs:
        raise IntakeRejected(_("The file is empty."), "empty")
    return ReadDocument(paragraphs=tuple(paragraphs), kind=kind, encoding=encoding)


# ---------------------------------------------------------------------------- checks


def _read_capped(file: bytes | IO[bytes]) -> bytes:
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
    else:
        size = getattr(file, "size", None)
        if size is None and hasattr(file, "seek"):
            file.seek(0, io.SEEK_END)
            size = file.tell()
        if size is not None and size > MAX_UPLOAD_BYTES:
            raise _too_big(size)
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_big(len(data))
    return data


def _too_big(size: int) -> IntakeRejected:
    return IntakeRejected(
        _("The file is %(size)s; minutes up to %(limit)s are accepted.")
        % {"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
        "too_big",
    )


def _too_long(chars: int) -> IntakeRejected:
    return IntakeRejected(
        _(
            "The text is %(chars)s characters long; minutes up to %(limit)s characters "
            "(about 250 pages) are accepted. Upload one set of minutes at a time."
        )
        % {
            "chars": f"{chars:,}".replace(",", "\u00a0"),
            "limit": f"{MAX_TEXT_CHARS:,}".replace(",", "\u00a0"),
        },
        "too_long",
    )


_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
)


def _refuse_what_is_not_text(data: bytes) -> None:
    head = data[:16]
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        raise IntakeRejected(
            _(
                "This is a picture, not a text: the intake reads words, not scans. Upload "
                "the minutes as a Word document (.docx) or plain text."
            ),
            "image",
        )
    if head.startswith(b"%PDF-"):
        raise IntakeRejected(
            _(
                "This is a PDF file. Upload the minutes as a Word document (.docx) or "
                "plain text: open the original in Word and save it as .docx."
            ),
            "pdf",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise IntakeRejected(
            _(
                "This is an old-format Word document (.doc) or a password-protected file. "
                "Open it in Word and save it as a .docx document without a password."
            ),
            "old_word",
        )
    if head.startswith(b"{\\rtf"):
        raise IntakeRejected(
            _("This is an RTF file. Open it in Word and save it as a .docx document."), "rtf"
        )
    if len(data) > MAX_TEXT_BYTES:
        raise IntakeRejected(
            _("The text is %(size)s; minutes up to %(limit)s of text are accepted.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_TEXT_BYTES)},
            "too_long",
        )


def _not_text() -> IntakeRejected:
    return IntakeRejected(
        _(
            "The file is neither a Word document (.docx) nor plain text. Save the minutes "
            "in Word as .docx, or paste their text."
        ),
        "not_text",
    )


# Control characters that never occur in a text file (tabs, line and page breaks do).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _encodings(data: bytes) -> list[str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ["utf-16"]
    return ["utf-8-sig", "cp1251"]


def _decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without the byte-order mark), UTF-16 with one, else Windows-1251."""
    for encoding in _encodings(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            raise _not_text()
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    raise _not_text()


# ---------------------------------------------------------------------------- .docx


def _read_docx(data: bytes) -> ReadDocument:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _broken_docx() from exc
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise _zip_of_something_else(names, archive)
    if len(entries) > MAX_ZIP_ENTRIES:
        raise IntakeRejected(
            _(
                "The document is made of %(count)s parts; a Word document of minutes has a "
                "few dozen. Save it again in Word as .docx."
            )
            % {"count": len(entries)},
            "zip_entries",
        )
    unpacked = sum(entry.file_size for entry in entries)
    document_xml = archive.getinfo("word/document.xml").file_size
    if document_xml > MAX_DOCUMENT_XML_BYTES or unpacked > MAX_UNPACKED_BYTES:
        size, limit = (
            (document_xml, MAX_DOCUMENT_XML_BYTES)
            if document_xml > MAX_DOCUMENT_XML_BYTES
            else (unpacked, MAX_UNPACKED_BYTES)
        )
        raise IntakeRejected(
            _(
                "Unpacked, the document would take %(size)s; minutes up to %(limit)s are "
                "accepted. Upload one set of minutes at a time, without large pictures."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            "zip_too_big",
        )
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (
        PackageNotFoundError,
        KeyError,
        ValueError,
        zipfile.BadZipFile,
        OSError,
        EOFError,
        RuntimeError,  # an encrypted entry
        NotImplementedError,  # a compression zipfile does not know
        SyntaxError,  # lxml's XMLSyntaxError
    ) as exc:
        raise _broken_docx() from exc
    paragraphs = _DocxReader(document).paragraphs()
    chars = sum(len(p.text) for p in paragraphs)
    if chars > MAX_TEXT_CHARS:
        raise _too_long(chars)
    if not paragraphs:
        raise IntakeRejected(_("The document has no text."), "empty")
    if all(p.in_table for p in paragraphs):
        raise IntakeRejected(
            _(
                "The document holds only tables. Write the minutes as paragraphs, with the "
                "items as a numbered list, and keep tables for lists of participants or "
                "figures."
            ),
            "tables_only",
        )
    return ReadDocument(paragraphs=tuple(paragraphs), kind="docx")


def _broken_docx() -> IntakeRejected:
    return IntakeRejected(
        _("The Word document is damaged and cannot be read. Save it again in Word as .docx."),
        "broken",
    )


def _zip_of_something_else(names: set[str], archive: zipfile.ZipFile) -> IntakeRejected:
    if "xl/workbook.xml" in names:
        message = _(
            "This is an Excel workbook, not a Word document. Upload the minutes as a .docx "
            "document or plain text."
        )
    elif "ppt/presentation.xml" in names:
        message = _(
            "This is a PowerPoint presentation, not a Word document. Upload the minutes as a "
            ".docx document or plain text."
        )
    elif "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
        message = _(
            "This is an OpenDocument file (LibreOffice), not a Word document. Save it as a "
            ".docx document and upload that."
        )
    else:
        message = _(
            "This is a zip archive, not a Word document. Upload the minutes as a .docx "
            "document or plain text."
        )
    return IntakeRejected(message, "not_docx")


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"))
_ROMAN += ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_RUSSIAN_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int, alphabet: str) -> str:
    # Word's lettered lists go a … z, aa … zz, aaa …
    size = len(alphabet)
    return alphabet[(n - 1) % size] * ((n - 1) // size + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n, "abcdefghijklmnopqrstuvwxyz")
    if fmt == "upperLetter":
        return _letters(n, "abcdefghijklmnopqrstuvwxyz").upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("russianLower", "russianUpper"):
        letters = _letters(n, _RUSSIAN_LETTERS)
        return letters.upper() if fmt == "russianUpper" else letters
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


class _Numbering:
    """Word's list numbers: each list definition (abstractNum) keeps one counter per level;
    a list instance (num) with a start override restarts it on first use, and a paragraph
    of a level resets the levels below it."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, _Level]] = {}
        self.abstract_of: dict[str, str] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                level = _Level()
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                if start is not None:
                    level.start = _int(start.get(f"{_W}val"), 1)
                if fmt is not None:
                    level.fmt = fmt.get(f"{_W}val") or "decimal"
                if text is not None:
                    level.text = text.get(f"{_W}val") or ""
                levels[_int(lvl.get(f"{_W}ilvl"), 0)] = level
            self.levels[abstract.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            num_id = num.get(f"{_W}numId")
            abstract = num.find(f"{_W}abstractNumId")
            if abstract is None:
                continue
            self.abstract_of[num_id] = abstract.get(f"{_W}val")
            overrides = {}
            for override in num.iter(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    overrides[_int(override.get(f"{_W}ilvl"), 0)] = _int(start.get(f"{_W}val"), 1)
            self.overrides[num_id] = overrides

    def label(self, num_id: str, ilvl: int) -> str:
        abstract = self.abstract_of.get(num_id)
        if abstract is None or abstract not in self.levels:
            return ""
        levels = self.levels[abstract]
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in self.overrides.get(num_id, {}).items():
                counters[level] = start - 1
        level = levels.get(ilvl, _Level())
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt == "bullet":
            # symbol fonts draw their bullets from the private-use area
            private = not level.text or any("\uf000" <= ch <= "\uf0ff" for ch in level.text)
            return "•" if private else level.text

        def number(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            value = counters.get(at, levels.get(at, _Level()).start)
            return _format_number(value, levels.get(at, _Level()).fmt)

        return re.sub(r"%(\d)", number, level.text).strip()


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class _DocxReader:
    def __init__(self, document):
        self.document = document
        self.numbering = _Numbering(document)
        self.style_numbering: dict[str, tuple[str, int] | None] = {}
        self.out: list[Paragraph] = []
        self.blank = False

    def paragraphs(self) -> list[Paragraph]:
        self._walk(self.document.element.body, depth=0)
        return self.out

    def _walk(self, container, depth: int) -> None:
        for child in container.iterchildren():
            if child.tag == f"{_W}p":
                self._paragraph(child, in_table=depth > 0)
            elif child.tag == f"{_W}tbl" and depth < MAX_TABLE_DEPTH:
                self._table(child, depth + 1)
            elif child.tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    self._walk(content, depth)

    def _table(self, table, depth: int) -> None:
        # A row becomes one paragraph, its cells separated by tabs, so that a row
        # «1. | Выразить благодарность …» reads as a numbered item.
        for row in table.iterchildren(f"{_W}tr"):
            cells = []
            for cell in row.iterchildren(f"{_W}tc"):
                texts = []
                for child in cell.iterchildren():
                    if child.tag == f"{_W}p":
                        texts.append(_paragraph_text(child))
                    elif child.tag == f"{_W}tbl" and depth < MAX_TABLE_DEPTH:
                        self._table(child, depth + 1)
                cells.append("\n".join(t for t in texts if t.strip()))
            text = "\t".join(c for c in cells if c.strip())
            if text.strip():
                self._emit(Paragraph(text=text, in_table=True, blank_before=self.blank))
        self.blank = True

    def _paragraph(self, p, in_table: bool) -> None:
        text = _paragraph_text(p).rstrip()
        if not text.strip():
            self.blank = True
            return
        label, level = "", 0
        numbering = self._numbering_of(p)
        if numbering is not None:
            num_id, level = numbering
            label = self.numbering.label(num_id, level)
        self._emit(
            Paragraph(
                text=text.lstrip(" ") if label else text,
                label=label,
                level=level,
                blank_before=self.blank,
                in_table=in_table,
            )
        )

    def _emit(self, paragraph: Paragraph) -> None:
        if not self.out:
            paragraph = dataclasses.replace(paragraph, blank_before=False)
        self.out.append(paragraph)
        self.blank = False

    def _numbering_of(self, p) -> tuple[str, int] | None:
        ppr = p.find(f"{_W}pPr")
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        style_id = None
        if ppr is not None:
            style = ppr.find(f"{_W}pStyle")
            style_id = style.get(f"{_W}val") if style is not None else None
        from_style = self._style_numbering(style_id) if style_id else None
        if num_pr is None:
            return from_style
        num = num_pr.find(f"{_W}numId")
        ilvl = num_pr.find(f"{_W}ilvl")
        num_id = num.get(f"{_W}val") if num is not None else (from_style or ("0",))[0]
        level = _int(ilvl.get(f"{_W}val"), 0) if ilvl is not None else (from_style or ("", 0))[1]
        if num_id in (None, "0"):
            return None  # numbering switched off on this paragraph
        return num_id, level

    def _style_numbering(self, style_id: str) -> tuple[str, int] | None:
        if style_id in self.style_numbering:
            return self.style_numbering[style_id]
        result = None
        styles = self.document.styles.element
        seen = set()
        current = style_id
        while current and current not in seen:
            seen.add(current)
            style = next(
                (s for s in styles.iterchildren(f"{_W}style") if s.get(f"{_W}styleId") == current),
                None,
            )
            if style is None:
                break
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                num = num_pr.find(f"{_W}numId")
                ilvl = num_pr.find(f"{_W}ilvl")
                if num is not None and num.get(f"{_W}val") != "0":
                    level = _int(ilvl.get(f"{_W}val"), 0) if ilvl is not None else 0
                    result = (num.get(f"{_W}val"), level)
                break
            based = style.find(f"{_W}basedOn")
            current = based.get(f"{_W}val") if based is not None else None
        self.style_numbering[style_id] = result
        return result


# Elements whose text is not what the reader sees: deleted revisions, field codes, the
# fallback copy of drawing content, text boxes (read as their own paragraphs would
# duplicate or scramble the page).
_SKIPPED = {
    f"{_W}del",
    f"{_W}moveFrom",
    f"{_W}instrText",
    f"{_W}delText",
    f"{_W}txbxContent",
    f"{_W}pPr",
    f"{_W}rPr",
    f"{_MC}Fallback",
    f"{_W}footnoteReference",
    f"{_W}endnoteReference",
}


def _paragraph_text(p) -> str:
    """A paragraph's visible text: runs, hyperlinks, tracked insertions and fields' results;
    soft line breaks as «\\n», tabs as «\\t»."""
    out: list[str] = []

    def walk(element) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag == f"{_W}tab":
                out.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
            elif tag == f"{_W}sym":
                char = child.get(f"{_W}char")
                try:
                    code = int(char, 16)
                except (TypeError, ValueError):
                    continue
                # symbol fonts map their glyphs to the private-use area F0xx
                out.append(chr(code - 0xF000) if code >= 0xF000 else chr(code))
            else:
                walk(child)

    walk(p)
    return "".join(out)
