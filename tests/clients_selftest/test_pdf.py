"""poppler and pikepdf read PDFs as viewers, screen readers and archive checkers do: the
harness the documents tests rely on, proved against the published minutes and PDFs made here
with a known answer (tagged or not, fonts embedded or not, text on the page or off it)."""

import io

import pikepdf
import pytest
import weasyprint

from demo.club import demo_load
from tests.clients import poppler
from tests.clients.fixtures import response_bytes
from tests.clients.pdf_structure import structure, text_outside_marked_content
from tests.helpers import seed_sentences

pytestmark = pytest.mark.django_db  # render_once reads the demo from the test database

PAGE_CSS = """@page { size: A4; margin: 20mm 15mm 20mm 30mm }
body { font-family: "Liberation Serif"; font-size: 12pt }"""


def published_minutes_pdf(client) -> bytes:
    meeting = demo_load().meeting
    return response_bytes(client.get(f"/meetings/{meeting.slug}/minutes.pdf"))


@pytest.fixture(scope="module")
def minutes_pdf(render_once) -> bytes:
    return render_once(published_minutes_pdf)


def html_pdf(body: str, *, css: str = "", variant: str = "pdf/a-2a") -> bytes:
    html = f"""<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>Проверка читателей PDF</title><style>{PAGE_CSS}{css}</style></head><body>{body}</body>
</html>"""
    return weasyprint.HTML(string=html).write_pdf(pdf_variant=variant)


TAGGED_BODY = """<h1>Протокол</h1><ol><li>Первый пункт</li><li>Второй пункт</li></ol>
<table><thead><tr><th>ФИО</th><th>Организация</th></tr></thead>
<tbody><tr><td>Иванова Ирина</td><td>ЦБС Юрги</td></tr></tbody></table>"""


def untagged_pdf_with_a_word_off_the_page() -> bytes:
    """Helvetica, not embedded, and «Снаружи» drawn from x 560 pt on a 595 pt page."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page = pdf.add_blank_page(page_size=(595.276, 841.89))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 100 700 Td (Inside) Tj 460 0 Td (Outside) Tj ET")
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def test_poppler_finds_the_pdfa_identification_and_title_of_the_published_minutes(minutes_pdf):
    info = poppler.pdfinfo(minutes_pdf)
    assert info.pdfa is not None
    part, conformance = info.pdfa
    assert part in {"1", "2", "3", "4"} and conformance in {"A", "B", "U", "E", "F"}
    assert info.title.startswith("Протокол № 1 от 23 июня 2021 г.")
    assert info.pages == len(info.page_sizes) >= 1
    assert not info.encrypted


def test_poppler_finds_every_font_of_the_published_minutes_embedded(minutes_pdf):
    fonts = poppler.pdffonts(minutes_pdf)
    assert fonts
    assert [f.name for f in fonts if not (f.embedded and f.unicode)] == []


def test_poppler_reads_every_seed_sentence_of_the_published_minutes(minutes_pdf):
    text = poppler.reading_text(minutes_pdf)
    missing = [s for s in seed_sentences() if poppler.fold(s) not in text]
    assert missing == []


def test_every_word_of_the_published_minutes_is_inside_the_printable_area(minutes_pdf):
    assert poppler.outside_printable_area(minutes_pdf) == []


def test_the_printable_area_check_finds_a_word_off_the_page_and_a_font_not_embedded():
    pdf = untagged_pdf_with_a_word_off_the_page()
    outside = poppler.outside_printable_area(pdf)
    assert len(outside) == 1 and "'Outside'" in outside[0]
    assert poppler.reading_text(pdf) == "Inside Outside"
    (font,) = poppler.pdffonts(pdf)
    assert (font.name, font.embedded) == ("Helvetica", False)


def test_reading_text_mends_words_the_layout_broke_and_keeps_typed_hyphens():
    pdf = html_pdf(
        '<p class="narrow">Межведомственное взаимодействие библиотечных систем</p>'
        '<p class="typed">общения в онлайн-режиме</p>',
        css="p.narrow { width: 32mm; hyphens: auto } p.typed { width: 28mm }",
    )
    raw = poppler.pdftotext(pdf)
    assert "\u2010\n" in raw  # the layout did break words, with U+2010
    assert "онлайнрежиме" in raw  # and poppler's own text loses the typed hyphen
    assert poppler.reading_text(pdf) == (
        "Межведомственное взаимодействие библиотечных систем общения в онлайн-режиме"
    )


def test_poppler_and_pikepdf_see_a_tagged_pdf_as_tagged():
    pdf = html_pdf(TAGGED_BODY, variant="pdf/a-2a")
    info = poppler.pdfinfo(pdf)
    assert info.tagged
    assert info.pdfa == ("2", "A")
    tree = structure(pdf)
    assert (tree.lang, tree.marked, tree.display_doc_title) == ("ru", True, True)
    tags = tree.tags
    for tag in ("H1", "L", "LI", "Table", "TH", "TD"):
        assert tags[tag] >= 1, (tag, tags)
    assert tags["TH"] == 2
    assert text_outside_marked_content(pdf) == {}


def test_poppler_and_pikepdf_see_an_untagged_pdf_as_untagged():
    pdf = html_pdf(TAGGED_BODY, variant="pdf/a-3b")
    info = poppler.pdfinfo(pdf)
    assert not info.tagged
    assert info.pdfa == ("3", "B")
    tree = structure(pdf)
    assert not tree.tagged and tree.elements == []
    assert text_outside_marked_content(pdf) != {}
