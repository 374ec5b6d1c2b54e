"""Spreadsheet safety: text never becomes a formula, bad characters go, uploads are checked."""

import datetime
import io
import math
import tracemalloc
import zipfile
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kernel.xlsx import hostile as hostile_xlsx
from kernel.xlsx import stream as xlsx_stream
from kernel.xlsx import upload as xlsx_upload
from kernel.xlsx.stream import StreamingTable
from kernel.xlsx.upload import UPLOAD_LIMITS, WorkbookRejected, open_uploaded_workbook
from kernel.xlsx.writer import MAX_CELL_CHARS, Column, RowWriter, cell_text, put, workbook_bytes

INJECTIONS = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
]


def reopen(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


# The shared writers: openpyxl's normal and write-only modes, XlsxWriter's streaming table.
WRITERS = ["normal", "write-only", "streamed"]


def one_row_workbook(values, *, writer: str) -> openpyxl.Workbook:
    """Values written in one row by a shared writer, saved and opened again."""
    columns = [Column(f"c{i}", wrap=i % 2 == 0) for i in range(len(values))]
    if writer == "streamed":
        with StreamingTable(columns, sheet_name="x", title="x") as streamed:
            streamed.append(values)
            return reopen(streamed.finish())
    write_only = writer == "write-only"
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet("x") if write_only else wb.active
    table = RowWriter(ws, columns)
    table.set_widths()
    table.header()
    table.append(values)
    table.finish()
    return reopen(workbook_bytes(wb))


@pytest.mark.parametrize("writer", WRITERS)
def test_formula_like_text_is_written_as_identical_text(writer):
    row = one_row_workbook(INJECTIONS, writer=writer).worksheets[0][2]
    assert [c.value for c in row] == INJECTIONS
    assert [c.data_type for c in row] == ["s"] * len(INJECTIONS)
    # So that Excel keeps them text when someone edits the cell.
    assert all(c.quotePrefix for c in row)


def test_no_formula_reaches_the_file():
    wb = openpyxl.Workbook()
    put(wb.active, 1, 1, INJECTIONS[0])
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(wb))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert "HYPERLINK" in sheet


@pytest.mark.parametrize("writer", WRITERS)
def test_each_row_of_a_column_keeps_its_own_quote_prefix_whatever_the_rows_around_it_hold(
    writer,
):
    # Write-only mode refills one cell per wrapping column for every row; changing its style
    # in place once changed the style of every row already written with it (the accepted
    # figures lost the quote of «=…» organisation names that way).
    texts = ["Обычное название", *INJECTIONS, "Ещё одно", INJECTIONS[0], "Последнее"]
    columns = [Column("wrapped", wrap=True), Column("plain"), Column("date", wrap=True)]
    rows = [
        [text, text, datetime.date(2021, 6, 23) if n % 2 else text] for n, text in enumerate(texts)
    ]
    if writer == "streamed":
        with StreamingTable(columns, sheet_name="x", title="x") as streamed:
            for row in rows:
                streamed.append(row)
            data = streamed.finish()
    else:
        write_only = writer == "write-only"
        wb = openpyxl.Workbook(write_only=write_only)
        ws = wb.create_sheet("x") if write_only else wb.active
        table = RowWriter(ws, columns)
        table.header()
        for row in rows:
            table.append(row)
        data = workbook_bytes(wb)
    sheet = reopen(data).worksheets[0]
    for number, text in enumerate(texts, start=2):
        for cell in sheet[number]:
            if isinstance(cell.value, str):
                assert cell.value == text
                assert cell.quotePrefix is (text[0] in "=+-@\t\r"), f"{cell.coordinate}: {text!r}"
            else:
                assert cell.number_format == "DD.MM.YYYY" and not cell.quotePrefix


@pytest.mark.parametrize("writer", WRITERS)
def test_error_like_and_ordinary_text_stay_text_without_a_quote_prefix(writer):
    row = one_row_workbook(["#N/A", "Текст", "1 000"], writer=writer).worksheets[0][2]
    assert [(c.value, c.data_type) for c in row] == [("#N/A", "s"), ("Текст", "s"), ("1 000", "s")]
    assert not any(c.quotePrefix for c in row)


@pytest.mark.parametrize("writer", WRITERS)
def test_numbers_and_dates_stay_numbers_and_dates(writer, settings):
    moment = datetime.datetime(2021, 6, 23, 3, 30, tzinfo=datetime.UTC)
    values = [7, -2, 2.5, Decimal("1.25"), datetime.date(2021, 6, 23), moment]
    row = one_row_workbook(values, writer=writer).worksheets[0][2]
    assert [c.value for c in row[:4]] == [7, -2, 2.5, 1.25]
    assert [c.data_type for c in row[:4]] == ["n"] * 4
    assert not any(c.quotePrefix for c in row)
    date, stamp = row[4], row[5]
    assert date.is_date and date.value == datetime.datetime(2021, 6, 23)
    assert date.number_format == "DD.MM.YYYY"
    # Excel has no time zones: the club's local time (Asia/Novokuznetsk, UTC+7) is written.
    assert stamp.is_date and stamp.value == datetime.datetime(2021, 6, 23, 10, 30)
    assert stamp.number_format == "DD.MM.YYYY HH:MM"


@pytest.mark.parametrize("writer", WRITERS)
def test_forbidden_control_characters_are_removed(writer):
    dirty = "на\x00ча\x01ло\x08 \x0bсе\x1fре\x0cдина\tтаб\nстрока"
    row = one_row_workbook([dirty, "=\x00A1"], writer=writer).worksheets[0][2]
    assert row[0].value == "начало середина\tтаб\nстрока"
    assert (row[1].value, row[1].data_type) == ("=A1", "s")


def test_the_streamed_table_empties_nan_and_infinity_and_writes_any_value():
    values = [
        math.nan,
        -math.inf,
        Decimal("NaN"),
        gettext_lazy("Minutes"),
        True,
        "",
        None,
        datetime.time(9, 30),
    ]
    row = one_row_workbook(values, writer="streamed").worksheets[0][2]
    assert [c.value for c in row] == [
        None,
        None,
        None,
        "Протокол",
        True,
        None,
        None,
        datetime.time(9, 30),
    ]


@pytest.mark.parametrize(
    ("widths", "orientation"), [((14, 14), "portrait"), ((70, 60), "landscape")]
)
def test_the_streamed_table_prints_on_a4_one_page_wide(widths, orientation):
    columns = [Column(f"c{i}", width=width) for i, width in enumerate(widths)]
    with StreamingTable(columns, sheet_name="x", title="x") as table:
        table.append(["a", "b"])
        ws = reopen(table.finish()).worksheets[0]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == orientation
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0


def test_the_streamed_table_refuses_rows_beyond_the_sheet(monkeypatch):
    # Excel's limit is 1,048,576 rows; XlsxWriter would drop the rest without a word.
    monkeypatch.setattr(xlsx_stream, "MAX_ROWS", 3)
    with StreamingTable([Column("c")], sheet_name="x", title="x") as table:
        table.append(["1"])
        table.append(["2"])
        with pytest.raises(ValueError, match="at most 3 rows"):
            table.append(["3"])


def test_windows_line_breaks_become_excel_line_breaks():
    assert cell_text("первая\r\nвторая") == "первая\nвторая"


@pytest.mark.parametrize("writer", WRITERS)
def test_text_longer_than_excel_allows_is_cut(writer):
    long_text = "=" + "ж" * 39_999
    cell = one_row_workbook([long_text], writer=writer).worksheets[0]["A2"]
    assert len(cell.value) == MAX_CELL_CHARS
    assert cell.value.startswith("=жжж") and cell.value.endswith("…")
    assert cell.data_type == "s"


def test_cut_counts_characters_the_way_excel_does():
    # Outside the BMP a character takes two UTF-16 units, and Excel counts units.
    text = cell_text("😀" * 20_000)
    assert len(text.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS
    assert text.endswith("…") and text.startswith("😀")


def test_cell_text_accepts_any_value():
    assert cell_text(gettext_lazy("Minutes")) == "Протокол"
    assert cell_text(12) == "12"
    assert cell_text("обычный текст") == "обычный текст"


def test_aware_datetimes_are_written_in_local_time():
    wb = openpyxl.Workbook()
    put(wb.active, 1, 1, timezone.make_aware(datetime.datetime(2021, 6, 23, 12, 0)))
    assert reopen(workbook_bytes(wb)).active["A1"].value == datetime.datetime(2021, 6, 23, 12, 0)


# --- uploads ----------------------------------------------------------------------------


def real_workbook() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["Показатель", "Значение"])
    wb.active.append(["VS.POINTS", 12])
    return workbook_bytes(wb)


def reject(data: bytes, **limits) -> WorkbookRejected:
    with pytest.raises(WorkbookRejected) as caught:
        open_uploaded_workbook(io.BytesIO(data), limits=replace(UPLOAD_LIMITS, **limits))
    return caught.value


def test_a_real_workbook_is_opened_read_only_with_its_values():
    upload = SimpleUploadedFile("отчёт.xlsx", real_workbook())
    wb = open_uploaded_workbook(upload)
    try:
        assert wb.read_only
        assert list(wb.active.iter_rows(values_only=True)) == [
            ("Показатель", "Значение"),
            ("VS.POINTS", 12),
        ]
    finally:
        wb.close()


def test_a_text_file_renamed_xlsx_is_rejected_in_russian():
    upload = SimpleUploadedFile("отчёт.xlsx", "Показатель;Значение\nVS.POINTS;12\n".encode())
    with pytest.raises(WorkbookRejected) as caught:
        open_uploaded_workbook(upload)
    assert caught.value.code == "not_xlsx"
    assert "Файл не является книгой Excel (.xlsx)" in caught.value.message
    assert str(caught.value) == caught.value.message


def test_a_zip_without_workbook_parts_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "не книга")
    error = reject(buffer.getvalue())
    assert error.code == "not_xlsx"
    assert "не является книгой Excel" in error.message


def test_a_zip_with_a_manifest_but_no_workbook_is_rejected():
    source = zipfile.ZipFile(io.BytesIO(real_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            if info.filename != "xl/workbook.xml":
                archive.writestr(info, source.read(info))
    assert reject(buffer.getvalue()).code == "not_xlsx"


def test_a_zip_bomb_is_rejected_before_anything_is_inflated():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):  # 200 MB of zeros, about 200 KB compressed
                entry.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    error = reject(data)
    assert error.code == "too_large_uncompressed"
    assert error.message.startswith("В распакованном виде книга заняла бы 200,")
    assert "допускается не более 50,0" in error.message


def test_too_many_parts_are_rejected():
    error = reject(real_workbook(), max_entries=3)
    assert error.code == "too_many_entries"
    assert error.message.startswith("Книга состоит из слишком большого числа частей")


def test_too_big_a_file_is_rejected_before_it_is_read():
    upload = SimpleUploadedFile("большой.xlsx", real_workbook())
    with pytest.raises(WorkbookRejected) as caught:
        open_uploaded_workbook(upload, limits=replace(UPLOAD_LIMITS, max_bytes=1024))
    assert caught.value.code == "too_big"
    assert caught.value.message.startswith("Файл слишком большой (")
    assert "допускается не более 1,0\xa0КБ" in caught.value.message


def test_an_xml_entity_bomb_is_refused_by_defusedxml():
    source = zipfile.ZipFile(io.BytesIO(real_workbook()))
    bomb = (
        '<!DOCTYPE workbook [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            payload = source.read(info)
            if info.filename == "xl/workbook.xml":
                assert not payload.startswith(b"<?xml")
                payload = bomb.encode() + payload
            archive.writestr(info, payload)
    assert reject(buffer.getvalue()).code == "not_xlsx"


def test_a_truncated_workbook_is_rejected_not_a_server_error():
    data = real_workbook()
    for cut in range(50, len(data), max(1, len(data) // 40)):
        with pytest.raises(WorkbookRejected):
            open_uploaded_workbook(io.BytesIO(data[:cut]))


# --- uploads: what a workbook would cost, counted before it is read ------------------------

SMALL = replace(
    UPLOAD_LIMITS, max_rows=100, max_cells=500, max_shared_strings=50, max_elements=5_000
)


def with_part(name: str, payload: bytes, data: bytes | None = None) -> bytes:
    """A real workbook with one more part (or a part replaced)."""
    source = zipfile.ZipFile(io.BytesIO(data or real_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info, source.read(info))
        archive.writestr(name, payload)
    return buffer.getvalue()


def sheet_of_rows(rows: bytes) -> bytes:
    return hostile_xlsx.workbook(rows=[rows])


def test_a_workbook_within_the_limits_opens():
    wb = open_uploaded_workbook(io.BytesIO(real_workbook()), limits=SMALL)
    wb.close()


def test_more_rows_than_the_limit_are_refused_before_the_sheet_is_read(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a workbook the census refused")

    monkeypatch.setattr(xlsx_upload, "load_workbook", never)
    error = reject(sheet_of_rows(b"<row><c><v>1</v></c></row>" * 101), **vars_of(SMALL))
    assert error.code == "too_many_rows"
    assert error.message == (
        "В книге больше строк, чем допускается (не более 100). Удалите лишние строки "
        "или разделите данные на несколько файлов."
    )


def test_one_row_numbered_past_the_limit_counts_as_that_many_rows():
    # A reader yields an empty row for every number skipped: one row numbered a million is
    # a million rows to walk through.
    for number in ("1000000", "1e6", " 101"):
        data = sheet_of_rows(f'<row r="{number}"><c><v>1</v></c></row>'.encode())
        assert reject(data, **vars_of(SMALL)).code == "too_many_rows", number


def test_rows_disguised_by_a_prefix_or_hidden_in_a_picture_part_are_counted():
    prefixed = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<x:sheetData>" + b"<x:row><x:c><x:v>1</x:v></x:c></x:row>" * 101 + b"</x:sheetData>"
        b"</x:worksheet>"
    )
    for name in ("xl/worksheets/sheet1.xml", "xl/media/image1.png"):
        assert reject(with_part(name, prefixed), **vars_of(SMALL)).code == "too_many_rows"


def test_more_cells_than_the_limit_are_refused():
    row = b"<row>" + b"<c><v>1</v></c>" * 501 + b"</row>"
    error = reject(sheet_of_rows(row), **vars_of(SMALL))
    assert error.code == "too_many_cells"
    assert error.message.startswith("В книге больше ячеек, чем допускается (не более 500).")


def test_more_shared_strings_than_the_limit_are_refused_with_the_limit_grouped():
    data = hostile_xlsx.workbook(rows=[b""], shared_strings=[b"<si><t>x</t></si>" * 20_001])
    error = reject(data, max_shared_strings=20_000)
    assert error.code == "too_many_texts"
    assert error.message.startswith(
        "В книге больше разных текстов, чем допускается (не более 20\xa0000)."
    )


def test_markup_of_too_many_elements_anywhere_is_refused():
    styles = b"<styleSheet>" + b"<xf/>" * 6_000 + b"</styleSheet>"
    error = reject(with_part("xl/styles.xml", styles), **vars_of(SMALL))
    assert error.code == "too_complex"
    assert "в её разметке больше 5\xa0000 элементов" in error.message


def test_one_huge_text_is_refused_before_it_is_held_whole():
    huge = b'<row><c t="inlineStr"><is><t>' + b"x" * (1 << 20) + b"</t></is></c></row>"
    error = reject(sheet_of_rows(huge))
    assert error.code == "text_too_long"
    assert error.message.startswith(
        "В книге есть текст длиннее, чем допускается (не более 320,0\xa0КБ в одной ячейке"
    )
    # The longest text Excel allows, escaped as XML, passes.
    longest = b'<row><c t="inlineStr"><is><t>' + b"&amp;" * 32_767 + b"</t></is></c></row>"
    open_uploaded_workbook(io.BytesIO(sheet_of_rows(longest))).close()


def test_a_dtd_anywhere_is_refused_by_the_census():
    data = with_part("customXml/item1.xml", b'<!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>')
    error = reject(data)
    assert error.code == "not_xlsx"
    assert isinstance(error.__cause__, DefusedXmlException)


def test_the_hostile_workbooks_are_refused_in_under_50_mb(tmp_path):
    marks = {"PORTAL_FORM": "VS/1"}
    for probe in hostile_xlsx.probes(marks, {"VS.POINTS": 1}):
        tracemalloc.start()
        try:
            error = reject(probe.content)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert error.code.startswith("too_"), probe.name
        assert peak < 50 * 2**20, (probe.name, peak)


def vars_of(limits) -> dict:
    return {field: getattr(limits, field) for field in limits.__dataclass_fields__}
