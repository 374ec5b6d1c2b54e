"""How the house style prints and stores: a readable print scale, numbers kept numbers."""

import io

import openpyxl
import pytest

from kernel.links import absolute_url
from kernel.xlsx.writer import (
    MIN_PRINT_SCALE,
    number_or_text,
    page_plan,
    setup_page,
    workbook_bytes,
)

# The resolutions export's thirteen columns: fitted to one landscape page they printed at 43 %.
RESOLUTIONS_WIDTHS = [12, 32, 28, 30, 10, 22, 70, 28, 24, 12, 14, 12, 44]


def test_a_sheet_too_wide_for_one_page_goes_on_several_across_at_a_readable_scale():
    plan = page_plan(RESOLUTIONS_WIDTHS, title_columns=1)
    assert plan.landscape
    assert plan.pages_across == 2
    assert plan.scale >= MIN_PRINT_SCALE
    assert 1 < plan.first_page_columns < len(RESOLUTIONS_WIDTHS)


def test_a_narrow_sheet_stays_one_portrait_page_at_full_size():
    plan = page_plan([10, 50, 30])
    assert (plan.landscape, plan.pages_across, plan.scale) == (False, 1, 1.0)
    assert plan.first_page_columns == 3


@pytest.mark.parametrize("columns", [3, 8, 13, 18, 30])
def test_no_plan_prints_below_sixty_percent(columns):
    assert page_plan([40] * columns).scale >= MIN_PRINT_SCALE


def test_setup_page_writes_the_plan_where_excel_and_libreoffice_read_it():
    wb = openpyxl.Workbook()
    ws = wb.active
    for index, width in enumerate(RESOLUTIONS_WIDTHS):
        ws.column_dimensions[openpyxl.utils.get_column_letter(index + 1)].width = width
    ws["A1"] = "x"
    setup_page(ws, title_columns=1)
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(wb))).active
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (2, 0)
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.pageOrder == "overThenDown"
    assert ws.print_title_cols == "$A:$A"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1", 1), (" 12 ", 12), ("0", 0), ("01", "01"), ("12-а", "12-а"), ("", ""), ("١٢", "١٢")],
)
def test_a_number_typed_as_text_is_stored_as_the_number_unless_that_loses_something(typed, stored):
    assert number_or_text(typed) == stored
    assert type(number_or_text(typed)) is type(stored)


def test_links_are_absolute_on_the_configured_site(settings):
    settings.SITE_URL = "https://club.example.ru"
    assert absolute_url("/meetings/2021-06-23/") == "https://club.example.ru/meetings/2021-06-23/"
