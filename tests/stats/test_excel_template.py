"""A report's Excel template: header block, the form's lines in order, protection and marks."""

import io

import openpyxl
import pytest

from stats.models import Report
from tests.helpers import make_organization

from .test_import import FIGURES, LAST_YEAR, PARTS, form_v1, make_operator, make_report

pytestmark = pytest.mark.django_db

SHEET = "Внестационарное обслуживание"


@pytest.fixture
def cbs():
    return make_organization("ЦБС Юргинского округа")


@pytest.fixture
def operator_client(client, cbs):
    client.force_login(make_operator(cbs, "operator-yurga"))
    return client


@pytest.fixture
def june(cbs):
    make_report(cbs, 2020, 6, LAST_YEAR, status=Report.Status.ACCEPTED)
    return make_report(cbs, 2021, 6, FIGURES)


def download(client, report, query=""):
    response = client.get(f"/stats/reports/{report.pk}/template.xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return response


def sheet_of(response):
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [SHEET]
    return wb, wb[SHEET]


def indicator_rows(ws):
    return [row for row in range(1, ws.max_row + 1) if ws.cell(row, 1).value]


def test_the_template_has_the_header_block_and_the_forms_lines_in_order(operator_client, june):
    response = download(operator_client, june)
    assert "attachment" in response["Content-Disposition"]
    assert f"report-VS-v1-2021-06-{june.organization_id}.xlsx" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    _wb, ws = sheet_of(response)

    block = {ws.cell(row, 2).value: ws.cell(row, 3).value for row in range(2, 6)}
    assert block == {
        "Организация": "ЦБС Юргинского округа",
        "Период": "июнь 2021",
        "Форма": "Внестационарное обслуживание, версия 1 (VS)",
        "Статус": "черновик",
    }
    assert ws["B1"].value == "Отчёт по форме «Внестационарное обслуживание»"

    rows = indicator_rows(ws)
    codes = [item.indicator.code for item in form_v1().items.order_by("order")]
    assert [ws.cell(row, 1).value for row in rows] == codes
    header = rows[0] - 2  # the first section heading sits between header and lines
    assert [ws.cell(header, column).value for column in range(2, 6)] == [
        "Показатель",
        "Единица измерения",
        "Прошлый год, июнь 2020",
        "Значение, июнь 2021",
    ]
    assert ws.cell(rows[0] - 1, 2).value == "Сеть внестационарного обслуживания"
    for row in rows:
        code = ws.cell(row, 1).value
        assert ws.cell(row, 4).value == LAST_YEAR[code]
        assert ws.cell(row, 5).value == FIGURES[code]
        assert (ws.cell(row, 2).alignment.indent > 0) == (code in PARTS)
    first = rows[0]
    assert ws.cell(first, 2).value == "Число пунктов внестационарного обслуживания"
    assert ws.cell(first, 3).value == "ед."


def test_only_the_value_cells_are_unlocked_and_the_code_column_is_hidden(operator_client, june):
    wb, ws = sheet_of(download(operator_client, june))
    assert ws.column_dimensions["A"].hidden is True
    assert ws.protection.sheet is True
    assert not ws.protection.password  # a guard against slips, not a secret
    rows = set(indicator_rows(ws))
    unlocked = {
        (cell.row, cell.column)
        for line in ws.iter_rows(min_row=1, max_row=ws.max_row + 3, max_col=8)
        for cell in line
        if not cell.protection.locked
    }
    assert unlocked == {(row, 5) for row in rows}
    # The import finds the form, organisation, month and lines by workbook-level names.
    names = {name: wb.defined_names[name].value for name in wb.defined_names}
    assert names["PORTAL_FORM"] == '"VS/1"'
    assert names["PORTAL_PERIOD"] == '"2021-06"'
    assert names["PORTAL_ORGANIZATION"] == f'"{june.organization_id}"'
    # From the first section heading below the table's header to the last line.
    assert names["PORTAL_TABLE"] == f"'{SHEET}'!$A${min(rows) - 1}:$E${max(rows)}"
    validation = ws.data_validations.dataValidation[0]
    # Excel refuses what the import would, up to the form's own bound.
    assert (validation.type, validation.operator, validation.formula1, validation.formula2) == (
        "whole",
        "between",
        "0",
        "1000000000",
    )
    assert validation.error == (
        "Введите целое число от 0 до 1\u00a0000\u00a0000\u00a0000 или оставьте ячейку пустой."
    )


def test_a_blank_template_has_no_values_but_last_years(operator_client, june):
    _wb, ws = sheet_of(download(operator_client, june, "?blank=1"))
    rows = indicator_rows(ws)
    assert all(ws.cell(row, 5).value is None for row in rows)
    assert all(ws.cell(row, 4).value is not None for row in rows)


def test_a_report_without_figures_gives_an_empty_template(operator_client, cbs):
    report = make_report(cbs, 2021, 8)
    _wb, ws = sheet_of(download(operator_client, report))
    rows = indicator_rows(ws)
    assert len(rows) == 20
    assert all(ws.cell(row, 4).value is None and ws.cell(row, 5).value is None for row in rows)


def test_a_formula_like_organisation_name_stays_text(client):
    organization = make_organization('=HYPERLINK("http://x")')
    client.force_login(make_operator(organization))
    report = make_report(organization, 2021, 6)
    _wb, ws = sheet_of(download(client, report))
    assert ws["C2"].value == '=HYPERLINK("http://x")'
    assert ws["C2"].data_type == "s"


def test_another_organisations_template_is_404(client, june):
    client.force_login(make_operator(make_organization("ЦБС Мариинска")))
    assert client.get(f"/stats/reports/{june.pk}/template.xlsx").status_code == 404


def test_the_centre_downloads_any_reports_template(client, june, centre_methodist):
    url = f"/stats/review/{june.pk}/template.xlsx"
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_operator(june.organization))
    assert client.get(url).status_code == 403
    client.force_login(centre_methodist)
    response = client.get(url)
    assert response.status_code == 200
    _wb, ws = sheet_of(response)
    assert ws["C3"].value == "июнь 2021"


def test_the_template_download_takes_a_fixed_number_of_queries(
    operator_client, june, django_assert_num_queries
):
    # session, user, operator account, report, values, last year (2), form lines
    with django_assert_num_queries(8):
        download(operator_client, june)
