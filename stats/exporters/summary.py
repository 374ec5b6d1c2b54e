"""A year's summary: each indicator by month, year to date, and against the year before."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kernel.xlsx.writer import (
    HEADER_FONT,
    WRAP_ALIGNMENT,
    Column,
    RowWriter,
    field_label,
    fit_row_heights,
    page_plan,
    put,
    set_properties,
    setup_page,
    workbook_bytes,
)
from members.models import Organization

from ..collection import Collection
from ..models import FormItem, FormTemplate, Indicator, Report, ReportingPeriod, Value
from . import NUMBER_FORMAT, TITLE_FONT, sheet_title

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
    if indicator.kind == Indicator.Kind.STOCK:
        rule = _("Accepted figures for %(year)s. The year's total is the last month reported.")
    else:
        rule = _("Accepted figures for %(year)s. The year's total is the sum of the months.")
    note = _(
        "«Months in the total»: the months with accepted figures out of the months a "
        "report is owed for so far (%(owed)s). The last row: the library systems in each "
        "month's total out of all %(systems)s; under the year, those with every month."
    ) % {"owed": len(indicator.owed_months), "systems": indicator.systems}
    columns = [
        Column(field_label(Report, "organization"), width=30, wrap=True),
        Column(field_label(Organization, "municipality"), width=26, wrap=True),
        *(Column(title, width=11) for title in month_titles),
        Column(_("Year total"), width=12),
        Column(_("Months in the total"), width=12),
        Column(_("Form version"), width=10),
        Column(field_label(Value, "explanation"), width=50, wrap=True),
    ]
    # Wrapped across the table's first printed page, so that nothing runs past its edge.
    across = page_plan(
        [column.width for column in columns], landscape=True, title_columns=1
    ).first_page_columns
    heading = [
        (f"{indicator.code} — {indicator.name}, {indicator.unit}", {"font": TITLE_FONT}),
        (rule % {"year": year}, {}),
        (note, {}),
    ]
    for row, (text, font) in enumerate(heading, start=1):
        put(ws, row, 1, text, alignment=WRAP_ALIGNMENT, **font)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=across)
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
                indicator.months_in(line),
                _versions(line.versions),
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
            sum(indicator.months_in(line) for line in indicator.lines),
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
            *(indicator.systems_in(month) if month in owed_months else "" for month in MONTHS),
            indicator.complete_systems,
            "",
            "",
            "",
        ]
    )
    for row in ws.iter_rows(min_row=first, max_row=total_row, min_col=3):
        for cell in row:
            cell.number_format = NUMBER_FORMAT
    # The counts are numbers (they sort and sum), shown «11 из 12» against what is owed.
    months_column = 2 + len(MONTHS) + 2
    for row in range(first, total_row):
        ws.cell(row=row, column=months_column).number_format = of_format(owed)
    ws.cell(row=total_row, column=months_column).number_format = of_format(owed * indicator.systems)
    for column in range(3, months_column):
        ws.cell(row=table.last_row, column=column).number_format = of_format(indicator.systems)
    fit_row_heights(ws)
    setup_page(ws, landscape=True, title_columns=1)


def of_format(whole: int) -> str:
    """The number format that shows a count as «11 из 12»: how much of what is owed."""
    marker = "\x00"
    text = _("%(part)s of %(whole)s") % {"part": marker, "whole": whole}
    before, _marker, after = text.partition(marker)

    def quoted(part: str) -> str:
        return f'"{part.replace(chr(34), "")}"' if part else ""

    return f"{quoted(before)}0{quoted(after)}"


def _versions(versions: set[int]) -> int | str:
    """The form's version as a number, or «1, 2» when a year's figures came on two."""
    if len(versions) == 1:
        return next(iter(versions))
    return ", ".join(str(version) for version in sorted(versions))
