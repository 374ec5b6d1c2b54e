"""Reads of the public dashboard: the summer season by year, municipality, organisation, month.

Everything is summed in the database, one grouped query per table (conditional aggregation
over indicator codes), counting only accepted and locked reports (BRIEF.md, «Statistics form
v1»): a season's flow is the sum of June–August, a stock the last summer month each
organisation reported, summed over the organisations. Growth is (current / previous − 1) ×
100, shown only where the previous value is above zero.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clubportal.validators import FIRST_YEAR, LAST_YEAR

from .models import Report, ReportingPeriod, Value

# Only figures the centre has accepted are public.
COUNTED = (Report.Status.ACCEPTED, Report.Status.LOCKED)
SUMMER_MONTHS = ReportingPeriod.SUMMER_MONTHS
# Reports made by `manage.py load_demo` carry this at the start of their comment; while any
# of them is counted, every page, PDF and workbook of the figures says they are for show.
DEMO_MARKER = "[load_demo]"
# Years the dashboard accepts in its URLs and selector; anything else is nobody's data.
MIN_YEAR, MAX_YEAR = FIRST_YEAR, LAST_YEAR


@dataclass(frozen=True)
class Measure:
    key: str  # the alias in queries, templates and sort parameters
    code: str  # Indicator.code
    label: Promise
    short: Promise  # a column header
    stock: bool = False  # Indicator.Kind.STOCK in form v1: a season takes its last month


MEASURES = (
    Measure(
        "outdoor_events",
        "VS.EVENTS.OUTDOOR",
        _("Outdoor events"),
        _("Outdoor events"),
    ),
    Measure(
        "outdoor_attendance",
        "VS.EVENT_ATT.OUTDOOR",
        _("Attendance of outdoor events"),
        _("Outdoor attendance"),
    ),
    Measure(
        "events",
        "VS.EVENTS",
        _("Off-site events, total"),
        _("All off-site events"),
    ),
    Measure(
        "attendance",
        "VS.EVENT_ATT",
        _("Attendance of off-site events, total"),
        _("Attendance, all events"),
    ),
    Measure(
        "sites",
        "VS.OUT_SITES",
        _("Summer reading rooms and outdoor sites"),
        _("Summer sites"),
        stock=True,
    ),
    Measure(
        "days",
        "VS.OUT_DAYS",
        _("Days of work of summer reading rooms"),
        _("Days of summer reading rooms"),
    ),
)
MEASURE_KEYS = tuple(m.key for m in MEASURES)
# The measures whose growth the municipality and organisation tables show.
GROWTH_KEYS = ("outdoor_events", "outdoor_attendance")
SORT_KEYS = ("name", *MEASURE_KEYS, *(f"{key}_growth" for key in GROWTH_KEYS))


@dataclass(frozen=True)
class TableColumn:
    sort_key: str
    label: Promise  # for a growth column, the label of the measure it follows
    is_growth: bool = False


# The figure columns of the municipality and organisation tables, in order.
TABLE_COLUMNS = tuple(
    column
    for measure in MEASURES
    for column in (
        TableColumn(measure.key, measure.short),
        *(
            [TableColumn(f"{measure.key}_growth", measure.short, is_growth=True)]
            if measure.key in GROWTH_KEYS
            else []
        ),
    )
)
DEFAULT_SORT = "name"


def growth(current: int | None, previous: int | None) -> float | None:
    """(current / previous − 1) × 100, or None where previous is missing or not above zero."""
    if current is None or previous is None or previous <= 0:
        return None
    return (current / previous - 1) * 100


def growth_text(value: float | None) -> str:
    """+12,3 % or −4,0 %; empty where there is no growth to show."""
    if value is None:
        return ""
    rounded = round(value, 1)
    sign = "+" if rounded > 0 else "−" if rounded < 0 else ""
    return f"{sign}{formats.number_format(abs(rounded), 1)} %"


@dataclass(frozen=True)
class Change:
    """A figure beside the same figure a year earlier."""

    value: int | None
    previous: int | None

    @property
    def growth(self) -> float | None:
        return growth(self.value, self.previous)

    @property
    def growth_text(self) -> str:
        return growth_text(self.growth)

    @property
    def direction(self) -> str:
        """up, down or "" (for the colour of the growth badge)."""
        rate = self.growth
        if rate is None or round(rate, 1) == 0:
            return ""
        return "up" if rate > 0 else "down"


# --- Queries ------------------------------------------------------------------------------


def _counted_values(*, months: Iterable[int]):
    """Values of the dashboard's indicators in accepted and locked reports of these months."""
    return Value.objects.filter(
        report__status__in=COUNTED,
        report__period__month__in=list(months),
        indicator__code__in=[m.code for m in MEASURES],
        value__isnull=False,
    )


def _last_month_reported():
    """True for a stock's value in the last summer month its organisation reported: no
    counted value of the same indicator in a later summer month of the same year."""
    later = (
        # "+ 0": SQLite keeps no statistics and would otherwise walk every value of the
        # indicator for each row; without the index on indicator_id the search starts from
        # the few later summer periods of the year (and PostgreSQL minds it not).
        Value.objects.annotate(indicator_number=F("indicator_id") + 0).filter(
            indicator_number=OuterRef("indicator_id"),
            report__organization_id=OuterRef("report__organization_id"),
            report__period__year=OuterRef("report__period__year"),
            report__period__month__gt=OuterRef("report__period__month"),
            report__period__month__in=list(SUMMER_MONTHS),
            report__status__in=COUNTED,
            value__isnull=False,
        )
    )
    return ~Exists(later)


def _sums(*, season: bool, years: dict[str, int] | None = None) -> dict:
    """Sum(value) per measure (and per year suffix), each filtered by its indicator code;
    in a season a stock counts only its last month reported."""
    years = years or {"": None}
    aggregates = {}
    for suffix, year in years.items():
        in_year = Q(report__period__year=year) if year is not None else Q()
        for measure in MEASURES:
            condition = Q(indicator__code=measure.code) & in_year
            if season and measure.stock:
                condition &= _last_month_reported()
            aggregates[f"{measure.key}{suffix}"] = Sum("value", filter=condition)
    return aggregates


@dataclass(frozen=True)
class Season:
    """The region's summer season of one year."""

    year: int
    values: dict[str, int | None]
    organizations: int  # library systems with at least one counted summer figure
    demo: bool
    last_accepted: datetime.datetime | None = None

    @property
    def ordered(self) -> list[int | None]:
        return [self.values[key] for key in MEASURE_KEYS]


def seasons() -> dict[int, Season]:
    """Every year's summer season, oldest first: one query grouped by year."""
    rows = (
        _counted_values(months=SUMMER_MONTHS)
        .values("report__period__year")
        .annotate(
            **_sums(season=True),
            organizations=Count("report__organization", distinct=True),
            demo_values=Count("pk", filter=Q(report__comment__startswith=DEMO_MARKER)),
            last_accepted=Max("report__accepted_at"),
        )
        .order_by("report__period__year")
    )
    return {
        row["report__period__year"]: Season(
            year=row["report__period__year"],
            values={key: row[key] for key in MEASURE_KEYS},
            organizations=row["organizations"],
            demo=row["demo_values"] > 0,
            last_accepted=row["last_accepted"],
        )
        for row in rows
    }


@dataclass
class Row:
    """A municipality or an organisation: the chosen summer beside the one a year before."""

    name: str
    cells: dict[str, Change]
    municipality: str = ""

    @property
    def table_cells(self) -> list[tuple[str, Change]]:
        """("value" or "growth", the change) in the order of TABLE_COLUMNS."""
        cells = []
        for measure in MEASURES:
            cells.append(("value", self.cells[measure.key]))
            if measure.key in GROWTH_KEYS:
                cells.append(("growth", self.cells[measure.key]))
        return cells

    def sort_value(self, key: str):
        if key == "name":
            return (self.name.casefold(), self.municipality.casefold())
        if key.endswith("_growth"):
            return self.cells[key.removesuffix("_growth")].growth
        return self.cells[key].value


GROUPINGS = {
    "municipality": ("report__organization__municipality__name",),
    "organization": (
        "report__organization_id",
        "report__organization__short_name",
        "report__organization__municipality__name",
    ),
}


def season_rows(*, by: str, year: int, sort: str = DEFAULT_SORT) -> list[Row]:
    """The summer of `year` and of the year before per municipality or organisation: one
    query grouped by the municipality (or organisation), the years as conditional sums."""
    group = GROUPINGS[by]
    rows = (
        _counted_values(months=SUMMER_MONTHS)
        .filter(report__period__year__in=[year, year - 1])
        .values(*group)
        .annotate(**_sums(season=True, years={"": year, "_prev": year - 1}))
        .order_by()
    )
    result = []
    for row in rows:
        cells = {key: Change(row[key], row[f"{key}_prev"]) for key in MEASURE_KEYS}
        if all(cell.value is None for cell in cells.values()):
            continue  # reported only the year before: nothing of the chosen summer to show
        if by == "municipality":
            name = row[group[0]] or str(_("Municipality not set"))
            result.append(Row(name=name, cells=cells))
        else:
            result.append(Row(name=row[group[1]], cells=cells, municipality=row[group[2]] or ""))
    return sort_rows(result, sort)


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """Rows in the order the ?sort= parameter asks ("-" first: descending); empty cells last."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        key, descending = DEFAULT_SORT, False
    by_name = sorted(rows, key=lambda row: row.sort_value("name"))
    if key == "name":
        return list(reversed(by_name)) if descending else by_name
    present = [row for row in by_name if row.sort_value(key) is not None]
    missing = [row for row in by_name if row.sort_value(key) is None]
    # sorted() is stable: equal figures stay in the order of their names.
    present.sort(key=lambda row: row.sort_value(key), reverse=descending)
    return present + missing


@dataclass(frozen=True)
class MonthFigures:
    month: int
    values: dict[str, int | None]
    last_accepted: datetime.datetime | None = None

    @property
    def name(self) -> str:
        return str(formats.date_format(_month_date(self.month), "F"))

    @property
    def ordered(self) -> list[int | None]:
        return [self.values[key] for key in MEASURE_KEYS]

    @property
    def is_summer(self) -> bool:
        return self.month in SUMMER_MONTHS


def _month_date(month: int) -> datetime.date:
    return datetime.date(2000, month, 1)


def months(*, year: int) -> list[MonthFigures]:
    """The twelve months of a year (a stock is the month's own figure): one grouped query."""
    rows = (
        _counted_values(months=range(1, 13))
        .filter(report__period__year=year)
        .values("report__period__month")
        .annotate(**_sums(season=False), last_accepted=Max("report__accepted_at"))
        .order_by("report__period__month")
    )
    found = {row["report__period__month"]: row for row in rows}
    return [
        MonthFigures(
            month=month,
            values={key: found.get(month, {}).get(key) for key in MEASURE_KEYS},
            last_accepted=found.get(month, {}).get("last_accepted"),
        )
        for month in range(1, 13)
    ]


# --- The dashboard as a whole ---------------------------------------------------------------


@dataclass
class RegionLine:
    """One measure across the chosen year and the two before it."""

    measure: Measure
    values: list[int | None]  # oldest first, same order as Dashboard.region_years
    changes: list[Change]  # each year against the one before it (the last two years)


@dataclass
class Dashboard:
    year: int | None  # the chosen summer; None when nothing has been accepted yet
    seasons: dict[int, Season]
    demo: bool
    region_years: list[int] = field(default_factory=list)
    region: list[RegionLine] = field(default_factory=list)
    headline: list[tuple[Measure, Change]] = field(default_factory=list)
    municipalities: list[Row] = field(default_factory=list)
    organizations: list[Row] = field(default_factory=list)
    months: list[MonthFigures] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        """Years with accepted summer figures, newest first (the year selector)."""
        return sorted(self.seasons, reverse=True)

    @property
    def has_data(self) -> bool:
        return self.year in self.seasons

    @property
    def season(self) -> Season | None:
        return self.seasons.get(self.year)

    @property
    def as_of(self) -> datetime.date | None:
        """The day the last of the shown figures was accepted: the date of a printed note,
        which therefore stays the same (and cached) until the figures change."""
        moments = [s.last_accepted for y, s in self.seasons.items() if y <= (self.year or 0)]
        moments += [m.last_accepted for m in self.months]
        moments = [m for m in moments if m is not None]
        return timezone.localdate(max(moments)) if moments else None


def latest_year(all_seasons: dict[int, Season]) -> int | None:
    return max(all_seasons, default=None)


def headline_of(all_seasons: dict[int, Season], year: int) -> list[tuple[Measure, Change]]:
    """Each measure of the summer of `year` beside the summer before it."""
    current = all_seasons.get(year)
    previous = all_seasons.get(year - 1)
    if current is None:
        return []
    return [
        (m, Change(current.values[m.key], previous.values[m.key] if previous else None))
        for m in MEASURES
    ]


def dashboard(*, year: int | None = None, sort: str = DEFAULT_SORT) -> Dashboard:
    """Everything /stats/ shows for a summer: four grouped queries whatever the data size."""
    all_seasons = seasons()
    chosen = year if year is not None else latest_year(all_seasons)
    result = Dashboard(
        year=chosen,
        seasons=all_seasons,
        demo=any(season.demo for season in all_seasons.values()),
    )
    if chosen is None or chosen not in all_seasons:
        return result
    result.region_years = [chosen - 2, chosen - 1, chosen]
    for measure in MEASURES:
        values = [
            all_seasons[y].values[measure.key] if y in all_seasons else None
            for y in result.region_years
        ]
        result.region.append(
            RegionLine(
                measure=measure,
                values=values,
                changes=[Change(values[1], values[0]), Change(values[2], values[1])],
            )
        )
    result.headline = headline_of(all_seasons, chosen)
    result.municipalities = season_rows(by="municipality", year=chosen, sort=sort)
    result.organizations = season_rows(by="organization", year=chosen, sort=sort)
    result.months = months(year=chosen)
    return result


@dataclass(frozen=True)
class Headline:
    """The last summer's headline figures, for the home page."""

    year: int
    figures: list[tuple[Measure, Change]]
    organizations: int
    demo: bool


HEADLINE_KEYS = ("outdoor_events", "outdoor_attendance", "sites", "days")


def last_summer_headline() -> Headline | None:
    """The latest summer with accepted figures against the one before: one query."""
    all_seasons = seasons()
    year = latest_year(all_seasons)
    if year is None:
        return None
    return Headline(
        year=year,
        figures=[(m, c) for m, c in headline_of(all_seasons, year) if m.key in HEADLINE_KEYS],
        organizations=all_seasons[year].organizations,
        demo=any(season.demo for season in all_seasons.values()),
    )


def demo_figures_loaded() -> bool:
    """Whether demonstration reports (made by load_demo) are among the counted figures."""
    return Report.objects.filter(status__in=COUNTED, comment__startswith=DEMO_MARKER).exists()
