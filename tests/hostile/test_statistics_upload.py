"""Hostile cells, codes, formulas and file names in the statistics Excel upload.

One part of the hostile-input suite (tests/hostile/__init__.py says what it covers).
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stats.models import ImportLog, Indicator, Value
from tests.hostile.common import (
    CYRILLIC,
    EMOJI,
    FORMULAS,
    LONG,
    ONERROR,
    POINTS,
    SCRIPT,
    WEASYPRINT,
    assert_escaped,
    stored_figure,
    workbook_texts,
)

pytestmark = pytest.mark.django_db


def template(client, report) -> bytes:
    response = client.get(f"/stats/reports/{report.pk}/template.xlsx")
    workbook_texts(response)
    return response.content


def with_cell(data: bytes, code: str, value, *, as_text=True, column=5) -> bytes:
    """The template with the value cell (or another column) of an indicator replaced."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == code)
    cell = ws.cell(row, column)
    cell.value = value
    if as_text and isinstance(value, str):
        cell.data_type = "s"  # what a user typing text gets; without it "=…" is a formula
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, report, data: bytes, name="отчёт.xlsx"):
    return client.post(
        f"/stats/reports/{report.pk}/import/", {"file": SimpleUploadedFile(name, data)}
    )


CELLS = [
    SCRIPT,
    ONERROR,
    EMOJI,
    CYRILLIC,
    LONG,
    "1e9999",
    "NaN",
    "0x10",
    "-5",
    -5,
    1.5,
    *WEASYPRINT,
    *FORMULAS,
    "²",
    "9" * 5000,
]


@pytest.mark.parametrize("value", CELLS, ids=lambda v: repr(v)[:14])
def test_a_hostile_cell_in_the_uploaded_workbook_is_refused_in_words(
    operator_client, report, value
):
    response = upload(
        operator_client, report, with_cell(template(operator_client, report), POINTS, value)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Книга не загружена; ничего не сохранено." in html
    assert "Лист «" in html  # the message names the cell
    assert_escaped(response)
    assert not Value.objects.filter(report=report).exists()
    assert ImportLog.objects.get(report=report).outcome == ImportLog.Outcome.REJECTED


@pytest.mark.parametrize(
    "value",
    [SCRIPT, LONG, "=1+1", "Ж" * 40_000],
    ids=["script", "long", "formula", "over-excel-limit"],
)
def test_a_hostile_indicator_code_in_the_uploaded_workbook_is_refused_in_words(
    operator_client, report, value
):
    data = with_cell(template(operator_client, report), POINTS, value, column=1)
    response = upload(operator_client, report, data)
    assert response.status_code == 200
    assert "Книга не загружена; ничего не сохранено." in response.content.decode()
    assert_escaped(response)
    assert not Value.objects.filter(report=report).exists()


@pytest.mark.parametrize(
    "formula",
    [
        "=1+1",
        '=WEBSERVICE("http://169.254.169.254/latest/meta-data/")',
        '=HYPERLINK("http://evil/")',
    ],
    ids=["sum", "webservice", "hyperlink"],
)
def test_real_formulas_in_the_uploaded_workbook_are_never_evaluated(
    operator_client, report, outside, formula
):
    # openpyxl writes formulas without a computed value; the portal reads values only.
    data = with_cell(template(operator_client, report), POINTS, formula, as_text=False)
    response = upload(operator_client, report, data)
    assert response.status_code in (200, 302)
    assert outside.sockets == []
    for value in Value.objects.filter(report=report).values_list("value", flat=True):
        assert value is None or isinstance(value, int)


def test_a_formula_without_a_computed_value_never_erases_a_figure(operator_client, report):
    Value.objects.create(
        report=report, indicator=Indicator.objects.get(code=POINTS), value=12, explanation=""
    )
    # openpyxl (and some converters) save a formula without its computed value.
    data = with_cell(template(operator_client, report), POINTS, "=10+2", as_text=False)
    response = upload(operator_client, report, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Книга не загружена; ничего не сохранено." in html
    assert "формула, сохранённая без результата" in html
    assert stored_figure(report) == 12


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.xlsx",
        "..\\..\\windows\\win.ini.xlsx",
        "<script>alert(1)</script>.xlsx",
        f"{EMOJI} {CYRILLIC}.xlsx",
        "Ж" * 300 + ".xlsx",
    ],
    ids=["unix-path", "windows-path", "script", "emoji", "long"],
)
def test_a_hostile_file_name_is_logged_as_a_plain_name(operator_client, report, name):
    # The upload is read, never stored: its name is only logged, and shown in the history.
    data = with_cell(template(operator_client, report), POINTS, 5)
    response = upload(operator_client, report, data, name)
    assert response.status_code == 302
    assert stored_figure(report) == 5
    filename = ImportLog.objects.get(report=report).filename
    assert filename.endswith(".xlsx") and 0 < len(filename) <= 255
    assert "/" not in filename and "\\" not in filename and ".." not in filename
    assert_escaped(operator_client.get(f"/stats/reports/{report.pk}/import/"))


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "empty.xlsx"),
        (b"%PDF-1.4\n" + SCRIPT.encode(), "<script>.xlsx"),
        (SCRIPT.encode() + b"\n=1+1;2\n", "formula.csv.xlsx"),
        (b"\x00" * 100, "nul.xlsx"),
    ],
    ids=["empty", "pdf", "csv", "nul"],
)
def test_a_file_that_is_no_workbook_is_refused_in_words(operator_client, report, content, name):
    response = upload(operator_client, report, content, name)
    assert response.status_code == 200
    assert "Книга не загружена; ничего не сохранено." in response.content.decode()
    assert_escaped(response)
