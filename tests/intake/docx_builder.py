"""Word documents built in the tests as Word writes them: lists numbered by numbering.xml."""

import io
import zipfile

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def new_document():
    return docx.Document()


def add_list_definition(document, abstract_id, levels):
    """A list definition (abstractNum); ``levels`` is [(numFmt, lvlText), …] by level."""
    xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    document.part.numbering_part.element.insert(
        0,
        parse_xml(
            f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{abstract_id}">{xml}</w:abstractNum>'
        ),
    )


def add_list(document, abstract_id, *, restart=True):
    """A list instance (num) of the definition; ``restart`` starts it again at 1."""
    num = document.part.numbering_part.element.add_num(abstract_id)
    if restart:
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def numbered(document, text, num_id, level=0):
    paragraph = document.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
    return paragraph


def with_line_break(document, before, after):
    paragraph = document.add_paragraph(before)
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:br xmlns:w="{W}"/>'))
    paragraph.add_run(after)
    return paragraph


def add_deleted_text(paragraph, text):
    """A tracked deletion: Word shows it struck out, the minutes do not contain it."""
    paragraph._p.append(
        parse_xml(
            f'<w:del xmlns:w="{W}" w:id="1" w:author="x"><w:r><w:delText>{text}</w:delText>'
            "</w:r></w:del>"
        )
    )


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def style_numbering(document, style_name, num_id):
    """Numbering set on a paragraph style, as Word's «Список с нумерацией» does."""
    style = document.styles[style_name]
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:numPr")):
        ppr.remove(old)
    num_pr = ppr.get_or_add_numPr()
    num_pr.get_or_add_numId().val = num_id


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()
