"""A report's template: the workbook an operator fills in and uploads back."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import absolute_coordinate, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from kernel.xlsx.writer import (
    FONT_NAME,
    TOP_ALIGNMENT,
    WRAP_ALIGNMENT,
    field_label,
    fit_row_heights,
    put,
    set_properties,
    setup_page,
    style_header,
    workbook_bytes,
)

from ..checks import limit_text
from ..models import Report
from ..selectors import ReportLine, form_items, last_year_values, report_lines, report_values
from . import NUMBER_FORMAT, TITLE_FONT, form_mark, period_label, period_mark, sheet_title

#
# The import reads the template back by these marks, so they are its contract: the codes
# in hidden column A, the values in column E, and workbook-level defined names that say
# which form, organisation and month the file is for and where the indicator rows are.
CODE_COLUMN = 1
NAME_COLUMN = 2
UNIT_COLUMN = 3
LAST_YEAR_COLUMN = 4
VALUE_COLUMN = 5
NAME_FORM = "PORTAL_FORM"
NAME_ORGANIZATION = "PORTAL_ORGANIZATION"
NAME_PERIOD = "PORTAL_PERIOD"
NAME_TABLE = "PORTAL_TABLE"

LABEL_FONT = Font(name=FONT_NAME, bold=True)
SECTION_FONT = Font(name=FONT_NAME, bold=True, italic=True)
LAST_YEAR_FONT = Font(name=FONT_NAME, color="595959")
SECTION_FILL = PatternFill("solid", fgColor="EDEDED")
# The cells to fill in stand out, as in paper forms.
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
# Excel indents only left-aligned text.
PART_ALIGNMENT = Alignment(wrap_text=True, vertical="top", horizontal="left", indent=2)
UNLOCKED = Protection(locked=False)


@dataclass(frozen=True)
class ReportTemplate:
    report: Report
    rows: list[ReportLine]


def report_template_data(report: Report) -> ReportTemplate:
    """The form's lines in order with the report's figures and last year's, by code."""
    rows = report_lines(form_items(report.form), report_values(report), last_year_values(report))
    return ReportTemplate(report=report, rows=rows)


def report_template_xlsx(data: ReportTemplate, *, blank: bool = False) -> bytes:
    """The report's form as a protected workbook: only the value cells can be typed in.

    The protection has no password: it keeps labels and codes from being changed by
    accident, it is not a secret. With blank=True the value cells are left empty.
    """
    report = data.report
    form, period, organization = report.form, report.period, report.organization
    this_month = period_label(period.year, period.month)
    last_month = period_label(period.year - 1, period.month)

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(form.name)
    for column, width in (
        (CODE_COLUMN, 24),
        (NAME_COLUMN, 62),
        (UNIT_COLUMN, 10),
        (LAST_YEAR_COLUMN, 16),
        (VALUE_COLUMN, 16),
    ):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.column_dimensions[get_column_letter(CODE_COLUMN)].hidden = True

    last = get_column_letter(VALUE_COLUMN)
    put(
        ws,
        1,
        NAME_COLUMN,
        _("Report on the form «%(form)s»") % {"form": form.name},
        font=TITLE_FONT,
        alignment=WRAP_ALIGNMENT,
    )
    ws.merge_cells(f"B1:{last}1")
    header_block = [
        (field_label(Report, "organization"), organization.display_full_name),
        (field_label(Report, "period"), this_month),
        (field_label(Report, "form"), f"{form} ({form.code})"),
        (field_label(Report, "status"), report.get_status_display()),
    ]
    row = 2
    for label, value in header_block:
        put(ws, row, NAME_COLUMN, label, font=LABEL_FONT, alignment=TOP_ALIGNMENT)
        put(ws, row, UNIT_COLUMN, value, alignment=WRAP_ALIGNMENT)
        ws.merge_cells(
            start_row=row, start_column=UNIT_COLUMN, end_row=row, end_column=VALUE_COLUMN
        )
        row += 1
    put(
        ws,
        row,
        NAME_COLUMN,
        _(
            "Enter whole non-negative numbers in the yellow cells only; the other cells are "
            "protected. Then upload the saved file on the report's page of the portal."
        ),
        alignment=WRAP_ALIGNMENT,
    )
    ws.merge_cells(start_row=row, start_column=NAME_COLUMN, end_row=row, end_column=VALUE_COLUMN)

    header_row = row + 2
    for column, title in (
        (NAME_COLUMN, _("Indicator")),
        (UNIT_COLUMN, _("Unit")),
        (LAST_YEAR_COLUMN, _("Last year, %(period)s") % {"period": last_month}),
        (VALUE_COLUMN, _("Value, %(period)s") % {"period": this_month}),
    ):
        style_header(put(ws, header_row, column, title))
    ws.print_title_rows = f"{header_row}:{header_row}"
    # The heading above is a few lines: the header stays in view while the rows are filled in.
    ws.freeze_panes = f"A{header_row + 1}"

    row = first_row = header_row + 1
    section = None
    for line in data.rows:
        if line.section and line.section != section:
            section = line.section
            for column in range(NAME_COLUMN, VALUE_COLUMN + 1):
                ws.cell(row=row, column=column).fill = SECTION_FILL
            put(ws, row, NAME_COLUMN, section, font=SECTION_FONT, alignment=WRAP_ALIGNMENT)
            row += 1
        put(ws, row, CODE_COLUMN, line.code)
        put(
            ws,
            row,
            NAME_COLUMN,
            line.name,
            alignment=PART_ALIGNMENT if line.is_part else WRAP_ALIGNMENT,
        )
        put(ws, row, UNIT_COLUMN, line.unit, alignment=TOP_ALIGNMENT)
        put(
            ws,
            row,
            LAST_YEAR_COLUMN,
            line.last_year,
            font=LAST_YEAR_FONT,
            number_format=NUMBER_FORMAT,
            alignment=TOP_ALIGNMENT,
        )
        put(
            ws,
            row,
            VALUE_COLUMN,
            None if blank else line.value,
            fill=INPUT_FILL,
            number_format=NUMBER_FORMAT,
            protection=UNLOCKED,
            alignment=TOP_ALIGNMENT,
        )
        row += 1
    last_row = max(row - 1, first_row)

    values_range = f"{last}{first_row}:{last}{last_row}"
    # Excel itself refuses what the import would: a negative, a fraction, a figure above
    # the form's own bound.
    validation = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2=str(form.max_value),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Whole numbers only"),
        error=_("Enter a whole number from 0 to %(limit)s, or leave the cell empty.")
        % {"limit": limit_text(form.max_value)},
    )
    validation.add(values_range)
    ws.add_data_validation(validation)

    # Formatting columns stays locked too: it would unhide the code column.
    ws.protection.sheet = True
    sheet = quote_sheetname(ws.title)
    table = f"{sheet}!{absolute_coordinate(f'A{first_row}:{last}{last_row}')}"
    for name, text in (
        (NAME_FORM, _quoted(form_mark(form))),
        (NAME_ORGANIZATION, _quoted(str(organization.pk))),
        (NAME_PERIOD, _quoted(period_mark(period))),
        (NAME_TABLE, table),
    ):
        wb.defined_names[name] = DefinedName(name, attr_text=text)

    fit_row_heights(ws)
    setup_page(ws, landscape=False)
    set_properties(
        wb,
        title=_("%(form)s: %(organization)s, %(period)s")
        % {"form": form.name, "organization": organization.short_name, "period": this_month},
    )
    return workbook_bytes(wb)


def _quoted(text: str) -> str:
    # A defined name's text constant is a formula string literal.
    return '"' + text.replace('"', '""') + '"'
