"""Shared Word (.docx) machinery: an A4 document in Russian, its house styles, and its bytes.

python-docx writes the file; this module gives every Word file of the portal the same page
(A4 portrait, the margins of ГОСТ Р 7.0.97-2016 that the PDFs use), the same styles (Liberation
Serif, which is metric-compatible with Times New Roman; Russian set as the language of every
style, so that Word and Writer hyphenate and spell-check in Russian; automatic hyphenation on),
«Страница N из M» in the footer by PAGE and NUMPAGES fields, and the same bytes for the same
content (every ZIP entry dated by the content, not the clock), so that a file can be served
with its content hash as the ETag.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterable

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

# The language of every style: Word's spelling and hyphenation follow it.
LANGUAGE = "ru-RU"
FONT = "Liberation Serif"
# ГОСТ Р 7.0.97-2016, 5.2: left 20 mm at least, right 10, top and bottom 20; the PDFs keep a
# 30 mm left margin for the binding, and so does the paper copy the secretary signs.
MARGINS_MM = {"top": 20, "right": 15, "bottom": 20, "left": 30}
# The paragraph indent of running text (ГОСТ: 1.25 cm).
INDENT = Mm(12.5)
# Where a labelled paragraph's text starts after its label («1.»).
LABEL_WIDTH = Mm(10)

# Placeholders of the footer's sentence, replaced by the PAGE and NUMPAGES fields.
_FIELD = re.compile(r"\{(page|pages)\}")


def new_document(*, title: str, author: str, modified: datetime.datetime) -> WordDocument:
    """An empty A4 document with the house styles, the footer's page numbers and metadata."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.footer_distance = Mm(10)
    # python-docx's template carries the picture of an empty page as the file's thumbnail,
    # which a file manager would show for the minutes.
    package = document.part.package
    for key, relationship in list(package.rels.items()):
        if relationship.reltype == RT.THUMBNAIL:
            del package.rels[key]
    _house_styles(document)
    _page_numbers(document)
    _hyphenate(document)
    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.last_modified_by = author
    properties.language = LANGUAGE
    properties.created = properties.modified = modified.replace(tzinfo=None, microsecond=0)
    properties.revision = 1
    return document


def _language(element) -> None:
    """Russian on a style's run properties."""
    _set_language(element.get_or_add_rPr())


def _set_language(r_pr) -> None:
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")
    r_pr.append(lang)


def _house_styles(document: WordDocument) -> None:
    styles = document.styles
    # The document's defaults too: a run outside any style of ours is Russian as well.
    path = "/".join(qn(tag) for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr"))
    _set_language(styles.element.find(path))

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:cs"), FONT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = True
    _language(normal.element)

    def paragraph_style(name: str, *, base: str = "Normal"):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        _language(style.element)
        if style.style_id != style_id(name):  # styled() relies on it
            raise RuntimeError(f"python-docx named the style {name!r} {style.style_id!r}")
        return style

    for name, size, centred in (("Heading 1", 14, True), ("Heading 2", 14, False)):
        heading = styles[name]
        heading.font.name = FONT
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.italic = False
        heading.font.color.rgb = None
        heading.element.rPr.rFonts.set(qn("w:cs"), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            heading.element.rPr.rFonts.attrib.pop(qn(theme), None)
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
        if centred:
            heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _language(heading.element)

    centred = paragraph_style("Centred")
    centred.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    centred.paragraph_format.space_after = Pt(0)

    text = paragraph_style("Body Text Indented")
    text.paragraph_format.first_line_indent = INDENT
    text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    label = paragraph_style("Label")
    label.font.bold = True
    label.paragraph_format.space_before = Pt(6)
    label.paragraph_format.keep_with_next = True

    item = paragraph_style("Labelled Item")
    item.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    item.paragraph_format.left_indent = LABEL_WIDTH
    item.paragraph_format.first_line_indent = -LABEL_WIDTH
    item.paragraph_format.tab_stops.add_tab_stop(LABEL_WIDTH)

    note = paragraph_style("Note")
    note.font.size = Pt(12)
    note.paragraph_format.left_indent = LABEL_WIDTH
    note.paragraph_format.space_after = Pt(2)

    signature = paragraph_style("Signature")
    signature.paragraph_format.space_before = Pt(12)
    signature.paragraph_format.keep_with_next = True
    stops = signature.paragraph_format.tab_stops
    stops.add_tab_stop(Mm(60))
    stops.add_tab_stop(Mm(165), WD_TAB_ALIGNMENT.RIGHT)

    footer = styles["Footer"]
    footer.font.size = Pt(11)
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _language(footer.element)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A simple field (PAGE, NUMPAGES) in the paragraph, with «1» until Word updates it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _page_numbers(document: WordDocument) -> None:
    """«Страница N из M» centred in the footer of every page."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    # Translated as a whole sentence; the fields go where its placeholders stand.
    sentence = _("Page {page} of {pages}")
    for number, part in enumerate(_FIELD.split(sentence)):
        if number % 2:
            _field(paragraph, "PAGE" if part == "page" else "NUMPAGES")
        elif part:
            paragraph.add_run(part)


def _hyphenate(document: WordDocument) -> None:
    """Word's automatic hyphenation (in the language of each style: Russian)."""
    settings = document.settings.element
    if settings.find(qn("w:autoHyphenation")) is None:
        element = OxmlElement("w:autoHyphenation")
        element.set(qn("w:val"), "true")
        # The schema orders settings' children; autoHyphenation follows defaultTabStop.
        tab_stop = settings.find(qn("w:defaultTabStop"))
        if tab_stop is not None:
            tab_stop.addnext(element)
        else:
            settings.insert(0, element)


def styled(document: WordDocument, style: str, text: str = "") -> Paragraph:
    """A new paragraph of the named style (of the house styles or Word's own).

    python-docx's `add_paragraph(style=...)` looks for the default style among all of them
    for every paragraph: 2.5 ms a paragraph, a second and a half for 200 items. The style's
    id is set directly instead: python-docx makes it of the name without its spaces.
    """
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().style = style_id(style)
    return paragraph


def style_id(style: str) -> str:
    return style.replace(" ", "")


def add_text(paragraph: Paragraph, text: str) -> Paragraph:
    """Text typed in the admin: its line breaks kept as breaks within the paragraph."""
    lines = re.split(r"\r?\n|\r", text)
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        if number < len(lines) - 1:
            run.add_break()
    return paragraph


def labelled(document: WordDocument, label: str, text: str) -> Paragraph:
    """A paragraph under its label («1.», «2.»): the label as written, the text after a tab,
    every line of the text aligned after the label."""
    paragraph = styled(document, "Labelled Item")
    paragraph.add_run(f"{label}\t")
    return add_text(paragraph, text)


def spaced(paragraph: Paragraph, text: str, *, points: float) -> Paragraph:
    """Letter-spaced text as a character property (w:spacing), so it still reads as a word."""
    run = paragraph.add_run(text)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(int(points * 20)))  # twentieths of a point
    run._r.get_or_add_rPr().append(spacing)
    return paragraph


def signature_lines(document: WordDocument, rows: Iterable[tuple[str, str]]) -> list[Paragraph]:
    """«Председатель ____ И.О. Фамилия» lines; each keeps with the next, the last ends the
    chain (the caller makes what precedes them keep with the first)."""
    paragraphs = []
    for role, name in rows:
        paragraph = styled(document, "Signature")
        paragraph.add_run(f"{role}\t______________\t{name or '______________'}")
        paragraphs.append(paragraph)
    if paragraphs:
        paragraphs[-1].paragraph_format.keep_with_next = False
    return paragraphs


def keep_with_next(paragraphs: Iterable[Paragraph]) -> None:
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def document_bytes(document: WordDocument, *, modified: datetime.datetime) -> bytes:
    """The .docx bytes, the same for the same content: python-docx dates every ZIP entry by
    the clock; they are dated by `modified` (the content's last change) instead."""
    raw = io.BytesIO()
    document.save(raw)
    stamp = modified.timetuple()[:6]
    stamp = (max(stamp[0], 1980), *stamp[1:])  # a ZIP date starts in 1980
    out = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
