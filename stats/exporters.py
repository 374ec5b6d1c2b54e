"""Statistics as Excel workbooks: a report's template, all accepted figures, a year's summary.

Each export has a query that chooses the rows and a writer that turns them into bytes (the
split of django-oscar's reports): the views call one, then the other.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import absolute_coordinate, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from kernel.xlsx.writer import (
    FONT_NAME,
    HEADER_FONT,
    TOP_ALIGNMENT,
    WRAP_ALIGNMENT,
    Column,
    RowWriter,
    field_label,
    fit_row_heights,
    put,
    set_properties,
    setup_page,
    style_header,
    workbook_bytes,
)
from members.models import Organization

from .checks import limit_text
from .collection import Collection
from .models import FormItem, FormTemplate, Indicator, Report, ReportingPeriod, Value
from .selectors import ReportLine, form_items, last_year_values, report_lines, report_values

EXPORT_CHUNK_SIZE = 2000

# --- The report template --------------------------------------------------------------
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

TITLE_FONT = Font(name=FONT_NAME, bold=True, size=13)
LABEL_FONT = Font(name=FONT_NAME, bold=True)
SECTION_FONT = Font(name=FONT_NAME, bold=True, italic=True)
LAST_YEAR_FONT = Font(name=FONT_NAME, color="595959")
SECTION_FILL = PatternFill("solid", fgColor="EDEDED")
# The cells to fill in stand out, as in paper forms.
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
# Excel indents only left-aligned text.
PART_ALIGNMENT = Alignment(wrap_text=True, vertical="top", horizontal="left", indent=2)
NUMBER_FORMAT = "#,##0"
UNLOCKED = Protection(locked=False)
# Excel forbids these in sheet names, and a name has at most 31 characters.
_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def period_label(year: int, month: int) -> str:
    """«июнь 2021»: the month as the forms name it."""
    text = formats.date_format(datetime.date(year, month, 1), "F Y")
    return text[:1].lower() + text[1:]


def form_mark(form) -> str:
    return f"{form.code}/{form.version}"


def period_mark(period: ReportingPeriod) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def sheet_title(text: str) -> str:
    title = " ".join(text.translate(_SHEET_NAME_FORBIDDEN).split()).strip("'")
    return title[:31] or "1"


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


# --- All accepted figures -------------------------------------------------------------


def accepted_values_rows() -> QuerySet:
    """Every accepted (or closed) non-empty figure as a tuple, in the order of the forms.

    (organisation, municipality, year, month, code, name, unit, value, the version of the
    form it was reported on, the operator's explanation); read it with .iterator() so a
    whole archive never sits in memory.
    """
    item_order = FormItem.objects.filter(
        form=OuterRef("report__form"), indicator=OuterRef("indicator")
    ).values("order")[:1]
    return (
        Value.objects.filter(report__status__in=Report.COUNTED, value__isnull=False)
        .annotate(item_order=Subquery(item_order))
        .order_by(
            "report__period__year",
            "report__period__month",
            "report__organization__short_name",
            "item_order",
            "indicator__code",
        )
        .values_list(
            "report__organization__short_name",
            "report__organization__municipality__name",
            "report__period__year",
            "report__period__month",
            "indicator__code",
            "indicator__name",
            "indicator__unit",
            "value",
            "report__form__version",
            "explanation",
        )
    )


def accepted_values_columns() -> list[Column]:
    return [
        Column(field_label(Report, "organization"), width=30, wrap=True),
        Column(field_label(Organization, "municipality"), width=30, wrap=True),
        Column(field_label(ReportingPeriod, "year"), width=8),
        Column(field_label(ReportingPeriod, "month"), width=8),
        Column(_("Indicator code"), width=24),
        Column(_("Indicator"), width=60, wrap=True),
        Column(_("Unit"), width=10),
        Column(field_label(Value, "value"), width=12),
        Column(_("Form version"), width=10),
        Column(field_label(Value, "explanation"), width=50, wrap=True),
    ]


def accepted_values_xlsx(rows: Iterable[tuple]) -> bytes:
    """The rows of accepted_values_rows() as one sheet, written in write-only mode."""
    if isinstance(rows, QuerySet):
        rows = rows.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Accepted figures"))
    table = RowWriter(ws, accepted_values_columns())
    table.set_widths()
    setup_page(ws)
    table.header()
    for row in rows:
        table.append(row)
    table.finish()
    set_properties(wb, title=_("Accepted statistics figures"))
    return workbook_bytes(wb)


# --- A year's summary ------------------------------------------------------------------

MONTHS = range(1, 13)


def year_to_date(kind: str, by_month: dict[int, int]) -> int | None:
    """A year's figure from its months (BRIEF.md): a flow sums them, a stock is the last one."""
    if not by_month:
        return None
    if kind == Indicator.Kind.STOCK:
        return by_month[max(by_month)]
    return sum(by_month.values())


@dataclass
class SummaryLine:
    organization: str
    municipality: str
    months: dict[int, int] = field(default_factory=dict)
    versions: set[int] = field(default_factory=set)
    explanations: dict[int, str] = field(default_factory=dict)

    def total(self, kind: str) -> int | None:
        return year_to_date(kind, self.months)

    def explanations_text(self) -> str:
        """«июнь: …; июль: …», the operator's words on the year's warnings."""
        return "; ".join(
            f"{formats.date_format(datetime.date(2000, month, 1), 'F').lower()}: {text}"
            for month, text in sorted(self.explanations.items())
        )


@dataclass
class SummaryIndicator:
    code: str
    name: str
    unit: str
    kind: str
    lines: list[SummaryLine] = field(default_factory=list)
    # The months of the year a report is owed for (stats.collection), and how many library
    # systems owe one: what each total's completeness is measured against.
    owed_months: list[int] = field(default_factory=list)
    systems: int = 0

    def month_total(self, month: int) -> int | None:
        figures = [line.months[month] for line in self.lines if month in line.months]
        return sum(figures) if figures else None

    @property
    def total(self) -> int | None:
        # The region's year is the sum of the organisations' years, stock or flow.
        figures = [t for line in self.lines if (t := line.total(self.kind)) is not None]
        return sum(figures) if figures else None

    def months_in(self, line: SummaryLine) -> int:
        return sum(1 for month in self.owed_months if month in line.months)

    def systems_in(self, month: int) -> int:
        return sum(1 for line in self.lines if month in line.months)

    @property
    def complete_systems(self) -> int:
        """Library systems with a figure for every month owed."""
        owed = len(self.owed_months)
        return sum(1 for line in self.lines if self.months_in(line) == owed)


def summary_data(year: int, *, today=None) -> list[SummaryIndicator]:
    """Accepted figures of a year by indicator, organisation and month: one grouped query,
    with the form versions and explanations they came with.

    Indicators come in the order of the forms they are on, and each knows the months and the
    library systems it is owed by (four small queries).
    """
    rows = (
        Value.objects.filter(
            report__period__year=year,
            report__status__in=Report.COUNTED,
            value__isnull=False,
        )
        .values(
            "indicator_id",
            "indicator__code",
            "indicator__name",
            "indicator__unit",
            "indicator__kind",
            "report__organization__short_name",
            "report__organization__municipality__name",
            "report__period__month",
            "report__form__version",
            "explanation",
        )
        .annotate(total=Sum("value"))
        .order_by(
            "report__organization__municipality__name",
            "report__organization__short_name",
            "report__period__month",
        )
    )
    indicators: dict[int, SummaryIndicator] = {}
    lines: dict[tuple[int, str], SummaryLine] = {}
    for row in rows:
        indicator = indicators.get(row["indicator_id"])
        if indicator is None:
            indicator = indicators[row["indicator_id"]] = SummaryIndicator(
                code=row["indicator__code"],
                name=row["indicator__name"],
                unit=row["indicator__unit"],
                kind=row["indicator__kind"],
            )
        key = (row["indicator_id"], row["report__organization__short_name"])
        line = lines.get(key)
        if line is None:
            line = lines[key] = SummaryLine(
                organization=row["report__organization__short_name"],
                municipality=row["report__organization__municipality__name"] or "",
            )
            indicator.lines.append(line)
        month = row["report__period__month"]
        line.months[month] = row["total"]
        line.versions.add(row["report__form__version"])
        if row["explanation"].strip():
            line.explanations[month] = row["explanation"].strip()
    if not indicators:
        return []
    order, codes = {}, {}
    for indicator_id, code, number in FormItem.objects.filter(
        indicator_id__in=indicators, form__status=FormTemplate.Status.APPROVED
    ).values_list("indicator_id", "form__code", "order"):
        order[indicator_id] = min(order.get(indicator_id, number), number)
        codes.setdefault(indicator_id, set()).add(code)
    versions = list(FormTemplate.objects.approved())
    periods = list(ReportingPeriod.objects.values_list("year", "month", "due_date"))
    owed = {}
    for code in {code for found in codes.values() for code in found}:
        collection = Collection.of(code, today=today, versions=versions, periods=periods)
        owed[code] = {month for month in MONTHS if collection.is_owed(year, month)}
    systems = Organization.objects.library_systems().count()
    for indicator_id, indicator in indicators.items():
        months = set().union(*(owed[code] for code in codes.get(indicator_id, ())))
        indicator.owed_months = sorted(months)
        indicator.systems = systems
    ranked = sorted(indicators, key=lambda pk: (order.get(pk, 10_000), indicators[pk].code))
    return [indicators[pk] for pk in ranked]


def summary_xlsx(year: int, indicators: list[SummaryIndicator]) -> bytes:
    """One sheet per indicator: organisations × months, the year's total and the region's."""
    wb = Workbook()
    wb.remove(wb.active)
    month_titles = [
        capfirst(formats.date_format(datetime.date(year, month, 1), "F")) for month in MONTHS
    ]
    if not indicators:
        ws = wb.create_sheet(_("Summary"))
        put(ws, 1, 1, _("No accepted figures for %(year)s.") % {"year": year}, font=TITLE_FONT)
    for indicator in indicators:
        ws = wb.create_sheet(sheet_title(indicator.code))
        _summary_sheet(ws, year, indicator, month_titles)
    set_properties(wb, title=_("Summary of accepted figures for %(year)s") % {"year": year})
    return workbook_bytes(wb)


def _summary_sheet(ws, year: int, indicator: SummaryIndicator, month_titles: list[str]) -> None:
    put(
        ws,
        1,
        1,
        f"{indicator.code} — {indicator.name}, {indicator.unit}",
        font=TITLE_FONT,
    )
    if indicator.kind == Indicator.Kind.STOCK:
        rule = _("Accepted figures for %(year)s. The year's total is the last month reported.")
    else:
        rule = _("Accepted figures for %(year)s. The year's total is the sum of the months.")
    put(ws, 2, 1, rule % {"year": year})
    put(
        ws,
        3,
        1,
        _(
            "«Months in the total»: the months with accepted figures out of the months a "
            "report is owed for so far (%(owed)s). The last row: the library systems in each "
            "month's total out of all %(systems)s; under the year, those with every month."
        )
        % {"owed": len(indicator.owed_months), "systems": indicator.systems},
    )
    columns = [
        Column(field_label(Report, "organization"), width=30, wrap=True),
        Column(field_label(Organization, "municipality"), width=26, wrap=True),
        *(Column(title, width=11) for title in month_titles),
        Column(_("Year total"), width=12),
        Column(_("Months in the total"), width=12),
        Column(_("Form version"), width=10),
        Column(field_label(Value, "explanation"), width=50, wrap=True),
    ]
    owed = len(indicator.owed_months)
    table = RowWriter(ws, columns, start_row=5)
    table.set_widths()
    table.header()
    first = table.next_row
    for line in indicator.lines:
        table.append(
            [
                line.organization,
                line.municipality,
                *(line.months.get(month) for month in MONTHS),
                line.total(indicator.kind),
                _of(indicator.months_in(line), owed),
                ", ".join(str(version) for version in sorted(line.versions)),
                line.explanations_text(),
            ]
        )
    table.finish()
    table.append(
        [
            _("Region total"),
            "",
            *(indicator.month_total(month) for month in MONTHS),
            indicator.total,
            _of(
                sum(indicator.months_in(line) for line in indicator.lines), owed * indicator.systems
            ),
            "",
            "",
        ]
    )
    for cell in ws[table.last_row]:
        cell.font = HEADER_FONT
    total_row = table.last_row
    owed_months = set(indicator.owed_months)
    table.append(
        [
            _("Library systems in the total"),
            "",
            *(
                _of(indicator.systems_in(month), indicator.systems) if month in owed_months else ""
                for month in MONTHS
            ),
            _of(indicator.complete_systems, indicator.systems),
            "",
            "",
            "",
        ]
    )
    for row in ws.iter_rows(min_row=first, max_row=total_row, min_col=3):
        for cell in row:
            cell.number_format = NUMBER_FORMAT
    fit_row_heights(ws, first_row=table.header_row)
    setup_page(ws, landscape=True)


def _of(part: int, whole: int) -> str:
    """«11 of 12»: how much of what is owed a total holds."""
    return _("%(part)s of %(whole)s") % {"part": part, "whole": whole}
