"""LibreOffice reads workbooks and Word files back as Calc and Writer show them: the harness
that the documents tests rely on, proved against the published minutes and files made here."""

import io

import openpyxl
import pytest
from docx import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl.styles import Alignment

from demo.club import demo_load
from tests.clients import poppler
from tests.clients.fixtures import response_bytes
from tests.clients.libreoffice import RowLayout
from tests.helpers import seed_sentences

pytestmark = pytest.mark.django_db  # render_once reads the demo from the test database

SHEETS = ["Протокол", "Пункты протокола", "Повестка", "Присутствовали", "Приняты в Клуб"]
PREAMBLE_START = "В рамках онлайн-заседания Клуба деловых встреч методистов Кузбасса"
RESOLVED = (
    "Выразить благодарность директору Государственной научной библиотеки Кузбасса "
    "им. В.Д.Федорова Никулиной Вере Александровне за предоставленную возможность "
    "профессионального общения в онлайн-режиме в условиях действующих ограничительных мер "
    "из-за распространения коронавирусной инфекции."
)


def published_minutes_workbook(client) -> bytes:
    meeting = demo_load().meeting
    return response_bytes(client.get(f"/meetings/{meeting.slug}/minutes.xlsx"))


def layout_workbook() -> bytes:
    """A workbook with every layout fact the .fods reader reports, each set to a known value."""
    wb = openpyxl.Workbook()
    wide = wb.active
    wide.title = "Широкий лист"
    wide.append(["Мероприятия под открытым небом", "Сумма", "Дата"])
    wide.append(["Летние читальные залы и площадки у библиотек района", 1234.5, None])
    wide.append(["Третья строка", 7, None])
    wide.row_dimensions[1].height = 30
    wide["A2"].alignment = Alignment(wrap_text=True)  # wrapped, but no height stored
    wide["B2"].number_format = "#,##0.00"
    wide.print_title_rows = "1:1"
    wide.print_area = "A1:C3"
    wide.page_setup.orientation = "landscape"
    wide.sheet_properties.pageSetUpPr.fitToPage = True
    wide.page_setup.fitToWidth, wide.page_setup.fitToHeight = 1, 0
    narrow = wb.create_sheet("Узкий")
    narrow.append(["ФИО"])
    narrow.page_setup.scale = 70
    wb.create_sheet("Пустой")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def workbooks(render_once, libreoffice):
    # One batch: both workbooks for one CSV run and one .fods run.
    minutes, layout = libreoffice.read_workbooks(
        [render_once(published_minutes_workbook), layout_workbook()]
    )
    return {"minutes": minutes, "layout": layout}


def test_calc_reads_every_seed_sentence_from_the_published_minutes_workbook(workbooks):
    text = poppler.fold(workbooks["minutes"].text)
    missing = [s for s in seed_sentences() if poppler.fold(s) not in text]
    assert missing == []


def test_calc_reads_the_sheets_in_order_and_cells_as_they_are_shown(workbooks):
    book = workbooks["minutes"]
    assert book.sheet_names == SHEETS
    minutes = book["Протокол"]
    assert minutes.cell("A1") == "Клуб деловых встреч методистов Кузбасса"
    details = {row[0]: row[1] for row in minutes.rows if len(row) > 1 and row[0]}
    assert details["Дата"] == "23.06.2021"  # a date cell, shown in its DD.MM.YYYY format
    assert details["Формат"] == "онлайн"
    assert minutes.cell("A12").startswith(PREAMBLE_START)
    resolution = next(row for row in book["Пункты протокола"].rows if row[3:4] == [RESOLVED])
    assert resolution[:3] == ["Постановили", "1", "благодарность"]
    admitted = book["Приняты в Клуб"].rows
    assert admitted[0][:2] == ["ФИО", "Организация"]
    assert admitted[1][:2] == ["Девятых Ирина Анатольевна", "МИБС г. Новокузнецка"]


def test_calc_reads_the_print_titles_and_page_setup_of_the_published_minutes(workbooks):
    book = workbooks["minutes"]
    items = book["Пункты протокола"]
    assert items.rows[0][0] == "Раздел"
    assert items.header_rows == (1,)
    assert items.page.orientation == "landscape"
    assert items.page.fit_width == 1
    assert book["Протокол"].header_rows == ()
    for name in ("Повестка", "Приняты в Клуб"):  # the demo records no attendance
        assert book[name].header_rows == (1,), name
        assert book[name].page.orientation == "portrait", name
    assert len(items.row_layout) == len(items.rows)


def test_calc_reports_row_heights_print_range_and_scale_as_the_file_sets_them(workbooks):
    book = workbooks["layout"]
    wide, narrow = book["Широкий лист"], book["Узкий"]
    assert wide.row_layout[0] == RowLayout(height_pt=pytest.approx(30, abs=0.1), optimal=False)
    # The wrapped cell's row has no stored height: one line's, left for LibreOffice to size.
    assert wide.row_layout[1].optimal
    assert wide.row_layout[1].height_pt == pytest.approx(15, abs=0.5)
    assert wide.header_rows == (1,)
    assert wide.print_ranges == "'Широкий лист'.A1:'Широкий лист'.C3"
    assert wide.page.orientation == "landscape"
    assert (wide.page.fit_width, wide.page.scale_percent) == (1, None)
    assert narrow.page.scale_percent == 70
    assert narrow.print_ranges is None and narrow.header_rows == ()
    assert book.sheet_names == ["Широкий лист", "Узкий", "Пустой"]
    assert book["Пустой"].rows == [] and book["Пустой"].text == ""
    # A Russian LibreOffice, as our users have: a comma and a no-break space.
    assert wide.cell("B2") == "1\u00a0234,50"
    assert wide.cell("B3") == "7"
    assert wide.cell("Z99") == ""


def footer_with_page_numbers(document) -> None:
    """«Страница N из M» with Word's PAGE and NUMPAGES fields."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run("Страница ")
    for instruction, tail in (("PAGE", " из "), ("NUMPAGES", "")):
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), instruction)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)
        if tail:
            paragraph.add_run(tail)


def small_docx() -> bytes:
    document = WordDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_heading("ПРОТОКОЛ", level=1)
    document.add_heading("Постановили", level=2)
    document.add_paragraph(RESOLVED)
    document.add_paragraph("Первый пункт", style="List Number")
    document.add_paragraph("Второй пункт", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(
        table._cells, ["ФИО", "Организация", "Иванова Ирина", "ЦБС Юрги"], strict=True
    ):
        cell.text = text
    footer_with_page_numbers(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def docx() -> bytes:
    return small_docx()


def test_writer_reads_the_text_of_a_word_file_with_list_numbers_and_table_cells(libreoffice, docx):
    lines = libreoffice.read_document(docx).text.splitlines()
    assert lines[:3] == ["ПРОТОКОЛ", "Постановили", RESOLVED]
    assert [line.strip() for line in lines[3:5]] == ["1. Первый пункт", "2. Второй пункт"]
    assert lines[5:9] == ["ФИО", "Организация", "Иванова Ирина", "ЦБС Юрги"]


def test_writer_reads_headings_paragraph_styles_and_the_footer_fields(libreoffice, docx):
    document = libreoffice.read_document(docx)
    assert document.headings == [(1, "ПРОТОКОЛ"), (2, "Постановили")]
    styles = [(p.style, p.text) for p in document.paragraphs if not p.in_table]
    assert styles[:5] == [
        ("Heading 1", "ПРОТОКОЛ"),
        ("Heading 2", "Постановили"),
        ("Standard", RESOLVED),
        ("List Number", "Первый пункт"),
        ("List Number", "Второй пункт"),
    ]
    assert [p.text for p in document.paragraphs if p.in_table] == [
        "ФИО",
        "Организация",
        "Иванова Ирина",
        "ЦБС Юрги",
    ]
    assert document.footers == ["Страница {PAGE} из {NUMPAGES}"]


def test_writer_prints_a_word_file_to_pdf_that_poppler_reads(libreoffice, docx):
    (pdf,) = libreoffice.to_pdf([docx])
    info = poppler.pdfinfo(pdf)
    assert info.pages == 1
    assert info.page_sizes[0] == (pytest.approx(595.3, abs=0.5), pytest.approx(841.9, abs=0.5))
    text = poppler.reading_text(pdf, running_heads=True)
    assert poppler.fold(RESOLVED) in text
    assert "Страница 1 из 1" in text
