"""Every workbook the portal writes, opened by LibreOffice Calc as a methodist opens it: wrapped
headers whole on rows tall enough, numbers as numbers, absolute links, nothing left empty, and
printed at a readable scale (LibreOffice's own PDF, measured by poppler)."""

import io
import statistics

import openpyxl
import pytest
from django.test import override_settings
from openpyxl.styles import Alignment, Font

from demo.club import demo_load
from demo.statistics import demo_statistics_load
from kernel import roles
from kernel.xlsx.writer import MIN_PRINT_SCALE, workbook_bytes
from stats.exporters.accepted import accepted_values_rows, accepted_values_xlsx
from stats.models import Report
from tests.clients import poppler
from tests.clients.fixtures import response_bytes
from tests.helpers import make_user

pytestmark = pytest.mark.django_db  # render_once reads the demo from the test database

SITE = "https://club.example.ru"


def collect(client) -> dict[str, bytes]:
    with override_settings(SITE_URL=SITE):
        meeting = demo_load().meeting
        demo_statistics_load()
        files = {
            "minutes": response_bytes(client.get(f"/meetings/{meeting.slug}/minutes.xlsx")),
            "resolutions": response_bytes(client.get("/resolutions/export.xlsx")),
            "summer": response_bytes(client.get("/stats/summer/2021.xlsx")),
            "annual": response_bytes(client.get("/annual/2021.xlsx")),
        }
        client.force_login(make_user("centre-books", group=roles.CENTRE_METHODIST))
        files["summary"] = response_bytes(client.get("/stats/export/summary-2021.xlsx"))
        report = Report.objects.order_by("pk").first()
        files["template"] = response_bytes(client.get(f"/stats/review/{report.pk}/template.xlsx"))
        # The same writer as /stats/export/accepted.xlsx, on a page's worth of its rows: the
        # whole demo archive prints to four thousand pages.
        files["accepted"] = accepted_values_xlsx(list(accepted_values_rows()[:60]))
    return files


def full_size_sample() -> bytes:
    """Calibri 11 printed at 100 %: the height poppler gives its words, the scale's measure."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = 60
    for row in range(1, 30):
        ws.cell(row=row, column=1, value="Число посещений вне стационара всего").font = Font(
            name="Calibri", size=11
        )
    ws["A1"].alignment = Alignment(wrap_text=True)
    ws.page_setup.scale = 100
    return workbook_bytes(wb)


@pytest.fixture(scope="module")
def files(render_once) -> dict[str, bytes]:
    return render_once(collect)


@pytest.fixture(scope="module")
def books(files, libreoffice):
    return dict(zip(files, libreoffice.read_workbooks(list(files.values())), strict=True))


@pytest.fixture(scope="module")
def printed(files, libreoffice):
    names = [*files, "sample"]
    pdfs = libreoffice.to_pdf([*files.values(), full_size_sample()], suffix=".xlsx")
    return {name: poppler.pages(pdf) for name, pdf in zip(names, pdfs, strict=True)}


def opened(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_wrapped_headers_are_read_whole_on_rows_as_tall_as_their_lines(files, books):
    checked = 0
    for name, book in books.items():
        wb = opened(files[name])
        for sheet in book.sheets.values():
            ws = wb[sheet.name]
            for number in sheet.header_rows:
                for column, text in enumerate(sheet.rows[number - 1], start=1):
                    letter = openpyxl.utils.get_column_letter(column)
                    width = ws.column_dimensions[letter].width or 13
                    assert ws.cell(row=number, column=column).value in (text, None), text
                    if len(text) > width:  # wraps: LibreOffice shows it only on a tall row
                        layout = sheet.row_layout[number - 1]
                        assert not layout.optimal, (name, sheet.name, text)
                        assert layout.height_pt >= 29, (name, sheet.name, text)
                        checked += 1
    assert checked > 20
    libraries = books["summer"]["Библиотечные системы"]
    header = libraries.rows[libraries.header_rows[0] - 1]
    assert "Летние читальные залы и площадки под открытым небом" in header


def test_every_table_keeps_its_header_in_view_and_on_every_printed_page(files, books):
    for name, book in books.items():
        wb = opened(files[name])
        for sheet in book.sheets.values():
            ws = wb[sheet.name]
            if not sheet.header_rows:
                continue
            (header,) = sheet.header_rows
            assert ws.freeze_panes == f"A{header + 1}", (name, sheet.name)
            assert ws.print_title_rows == f"${header}:${header}", (name, sheet.name)


def test_every_workbook_prints_at_sixty_percent_or_more_and_inside_the_page(printed):
    full_size = statistics.median(w.y1 - w.y0 for w in printed["sample"][0].words)
    for name, pages in printed.items():
        for page in pages:
            heights = [w.y1 - w.y0 for w in page.words]
            if not heights:
                continue
            scale = statistics.median(heights) / full_size
            assert scale >= MIN_PRINT_SCALE, (name, page.number, round(scale, 2))
            outside = [w.text for w in page.words if w.x1 > page.width or w.x0 < 0]
            assert outside == [], (name, page.number)
    # The thirteen columns of the resolutions: two pages across, no longer one at 43 %.
    assert len(printed["resolutions"]) >= 2


def test_the_resolutions_link_to_their_pages_by_absolute_address(books):
    sheet = books["resolutions"]["Пункты протоколов"]
    column = sheet.rows[0].index("Страница на портале")
    links = {row[column] for row in sheet.rows[1:]}
    assert links == {f"{SITE}/meetings/2021-06-23/"}


def test_numbers_are_stored_as_numbers_and_read_as_such(files, books):
    heading = books["minutes"]["Протокол"]
    details = {row[0]: row[1] for row in heading.rows if row and row[0]}
    assert details["Номер протокола"] == "1"
    ws = opened(files["minutes"])["Протокол"]
    number = next(r[1] for r in ws.iter_rows() if r[0].value == "Номер протокола")
    assert number.value == 1 and number.data_type == "n"
    # A count shown against what is owed: «12 из 12» on the screen, 12 in the cell.
    summary = books["summary"]["VS.POINTS"]
    header = summary.rows[summary.header_rows[0] - 1]
    months = header.index("Месяцев в итоге")
    row = next(r for r in summary.rows if r[0] == "ЦБС г. Белово")
    assert row[months] == "12 из 12"
    ws = opened(files["summary"])["VS.POINTS"]
    cell = next(r for r in ws.iter_rows() if r[0].value == "ЦБС г. Белово")[months]
    assert cell.value == 12 and cell.data_type == "n"


def test_a_sheet_with_nobody_recorded_says_so(books):
    # The demo meeting records no attendance: a labelled line, not a header over nothing.
    present = books["minutes"]["Присутствовали"]
    assert present.rows == [["Список присутствовавших на этом заседании не внесён."]]
    assert books["minutes"].sheet_names == [
        "Протокол",
        "Пункты протокола",
        "Повестка",
        "Присутствовали",
        "Приняты в Клуб",
    ]
