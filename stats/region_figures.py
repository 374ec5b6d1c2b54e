"""The region's figures as /stats/ shows them: the summer season by year, place and month.

Everything is summed in the database (conditional aggregation over indicator codes), counting
only accepted and locked reports (BRIEF.md, «Statistics form v1»): a season's flow is the sum
of June–August, a stock the last summer month each organisation reported, summed over the
organisations. One grouped query gives every organisation's summers; the region, the
municipalities and the organisations are added up from it, and a second query gives the
months of the chosen year.

A season is complete for an organisation when all three summer months are counted. Growth
is (current / previous − 1) × 100, shown only where the previous value is above zero, and
computed like for like: over the organisations with the whole summer in both years (an
organisation's own growth only when both its summers are whole). A summer with one month
accepted is never compared with a whole one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kernel.validators import FIRST_YEAR, LAST_YEAR

from .models import Indicator, Report, ReportingPeriod, Value

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
MEASURES_BY_CODE = {m.code: m for m in MEASURES}


def measure_of(indicator: Indicator) -> Measure:
    """Any indicator as a measure of the summer (a decision's target): named as /stats/
    names it when the dashboard shows it, by its own name otherwise (select its parent)."""
    known = MEASURES_BY_CODE.get(indicator.code)
    label = known.label if known is not None else indicator.display_name
    return Measure(
        f"indicator_{indicator.pk}",
        indicator.code,
        label,
        known.short if known is not None else label,
        stock=indicator.kind == Indicator.Kind.STOCK,
    )


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
    """A figure beside the same figure a year earlier.

    `basis` is the pair the growth is computed over when it differs from the figures shown:
    the sums of the organisations with the whole summer in both years.
    """

    value: int | None
    previous: int | None
    basis: tuple[int | None, int | None] | None = None

    @property
    def growth(self) -> float | None:
        current, previous = self.basis if self.basis is not None else (self.value, self.previous)
        return growth(current, previous)

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


def _counted_values(*, months: Iterable[int], measures: Sequence[Measure] = MEASURES):
    """Values of the measures' indicators in accepted and locked reports of these months."""
    return Value.objects.filter(
        report__status__in=Report.COUNTED,
        report__period__month__in=list(months),
        indicator__code__in=[m.code for m in measures],
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
            report__status__in=Report.COUNTED,
            value__isnull=False,
        )
    )
    return ~Exists(later)


def _sums(
    *,
    season: bool,
    years: dict[str, int] | None = None,
    measures: Sequence[Measure] = MEASURES,
) -> dict:
    """Sum(value) per measure (and per year suffix), each filtered by its indicator code;
    in a season a stock counts only its last month reported."""
    years = years or {"": None}
    aggregates = {}
    for suffix, year in years.items():
        in_year = Q(report__period__year=year) if year is not None else Q()
        for measure in measures:
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
    complete_organizations: int = 0  # of them, those with all three summer months counted

    @property
    def ordered(self) -> list[int | None]:
        return [self.values[key] for key in MEASURE_KEYS]

    @property
    def is_complete(self) -> bool:
        return self.complete_organizations == self.organizations


@dataclass(frozen=True)
class OrganizationSeason:
    """One organisation's summer of one year, as the grouped query gives it."""

    organization_id: int
    name: str
    municipality: str
    year: int
    values: dict[str, int | None]
    months: int  # summer months with counted figures
    demo: bool
    last_accepted: datetime.datetime | None

    @property
    def is_complete(self) -> bool:
        return self.months == len(SUMMER_MONTHS)


def organization_seasons(measures: Sequence[Measure] = MEASURES) -> list[OrganizationSeason]:
    """Every organisation's summer of every year: one query grouped by organisation and year.

    The dashboard's measures unless others are given (measure_of() makes one of any
    indicator: a decision's targets); the seasons' values are keyed by the measures' keys."""
    keys = [m.key for m in measures]
    rows = (
        _counted_values(months=SUMMER_MONTHS, measures=measures)
        .values(
            "report__organization_id",
            "report__organization__short_name",
            "report__organization__municipality__name",
            "report__period__year",
        )
        .annotate(
            **_sums(season=True, measures=measures),
            summer_months=Count("report__period__month", distinct=True),
            demo_values=Count("pk", filter=Q(report__comment__startswith=DEMO_MARKER)),
            last_accepted=Max("report__accepted_at"),
        )
        .order_by()
    )
    return [
        OrganizationSeason(
            organization_id=row["report__organization_id"],
            name=row["report__organization__short_name"],
            municipality=row["report__organization__municipality__name"] or "",
            year=row["report__period__year"],
            values={key: row[key] for key in keys},
            months=row["summer_months"],
            demo=row["demo_values"] > 0,
            last_accepted=row["last_accepted"],
        )
        for row in rows
    ]


def _total(values: Iterable[int | None]) -> int | None:
    figures = [value for value in values if value is not None]
    return sum(figures) if figures else None


def _by_year(org_seasons: list[OrganizationSeason]) -> dict[int, dict[int, OrganizationSeason]]:
    years: dict[int, dict[int, OrganizationSeason]] = {}
    for season in org_seasons:
        years.setdefault(season.year, {})[season.organization_id] = season
    return years


def seasons_of(
    org_seasons: list[OrganizationSeason], keys: Sequence[str] = MEASURE_KEYS
) -> dict[int, Season]:
    """The region's seasons, oldest first, added up from the organisations' ones (whose
    values carry these measure keys)."""
    result = {}
    for year, organizations in sorted(_by_year(org_seasons).items()):
        members = list(organizations.values())
        moments = [s.last_accepted for s in members if s.last_accepted is not None]
        result[year] = Season(
            year=year,
            values={key: _total(s.values[key] for s in members) for key in keys},
            organizations=len(members),
            demo=any(s.demo for s in members),
            last_accepted=max(moments) if moments else None,
            complete_organizations=sum(1 for s in members if s.is_complete),
        )
    return result


def seasons() -> dict[int, Season]:
    """Every year's summer season, oldest first: one query."""
    return seasons_of(organization_seasons())


def comparable(
    org_seasons: list[OrganizationSeason],
    year: int,
    *,
    organizations=None,
    against: int | None = None,
    keys: Sequence[str] = MEASURE_KEYS,
) -> dict[str, tuple[int | None, int | None]]:
    """Each measure of `year` and the year before (or the year `against`), summed over the
    organisations (of those given, all when None) with the whole summer in both years: the
    basis of growth."""
    years = _by_year(org_seasons)
    current = years.get(year, {})
    previous = years.get(year - 1 if against is None else against, {})
    both = [
        pk
        for pk, season in current.items()
        if season.is_complete
        and pk in previous
        and previous[pk].is_complete
        and (organizations is None or pk in organizations)
    ]
    return {
        key: (
            _total(current[pk].values[key] for pk in both),
            _total(previous[pk].values[key] for pk in both),
        )
        for key in keys
    }


@dataclass
class Row:
    """A municipality or an organisation: the chosen summer beside the one a year before."""

    name: str
    cells: dict[str, Change]
    municipality: str = ""
    # An organisation: its summer months counted; a municipality: its organisations whose
    # summer is not whole. Growth leaves out what is not whole.
    months: int = len(SUMMER_MONTHS)
    incomplete: int = 0

    @property
    def is_complete(self) -> bool:
        return self.months == len(SUMMER_MONTHS) and not self.incomplete

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


def season_rows(*, by: str, year: int, sort: str = DEFAULT_SORT, org_seasons=None) -> list[Row]:
    """The summer of `year` and of the year before per municipality or organisation, added
    up from the organisations' seasons (organization_seasons(), queried when not given)."""
    org_seasons = organization_seasons() if org_seasons is None else org_seasons
    years = _by_year(org_seasons)
    current, previous = years.get(year, {}), years.get(year - 1, {})
    result = []
    if by == "organization":
        for pk, season in current.items():
            before = previous.get(pk)
            whole = season.is_complete and before is not None and before.is_complete
            cells = {
                key: Change(
                    season.values[key],
                    before.values[key] if before else None,
                    basis=None if whole else (None, None),
                )
                for key in MEASURE_KEYS
            }
            if all(cell.value is None for cell in cells.values()):
                continue
            result.append(
                Row(
                    name=season.name,
                    cells=cells,
                    municipality=season.municipality,
                    months=season.months,
                )
            )
        return sort_rows(result, sort)
    municipalities: dict[str, list[int]] = {}
    for pk, season in current.items():
        municipalities.setdefault(season.municipality, []).append(pk)
    for name, members in municipalities.items():
        # The year before counts the same municipality's organisations, reported or not now.
        earlier = [pk for pk, s in previous.items() if s.municipality == name]
        basis = comparable(org_seasons, year, organizations=set(members))
        cells = {
            key: Change(
                _total(current[pk].values[key] for pk in members),
                _total(previous[pk].values[key] for pk in earlier),
                basis=basis[key],
            )
            for key in MEASURE_KEYS
        }
        if all(cell.value is None for cell in cells.values()):
            continue
        result.append(
            Row(
                name=name or str(_("Municipality not set")),
                cells=cells,
                incomplete=sum(1 for pk in members if not current[pk].is_complete),
            )
        )
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
    values: list[int | None]  # oldest first, same order as RegionFigures.region_years
    changes: list[Change]  # each year against the one before it (the last two years)


@dataclass
class RegionFigures:
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


def headline_of(
    all_seasons: dict[int, Season], year: int, org_seasons: list[OrganizationSeason]
) -> list[tuple[Measure, Change]]:
    """Each measure of the summer of `year` beside the summer before it; growth like for
    like (comparable())."""
    current = all_seasons.get(year)
    previous = all_seasons.get(year - 1)
    if current is None:
        return []
    basis = comparable(org_seasons, year)
    return [
        (
            m,
            Change(
                current.values[m.key],
                previous.values[m.key] if previous else None,
                basis=basis[m.key],
            ),
        )
        for m in MEASURES
    ]


def region_figures(*, year: int | None = None, sort: str = DEFAULT_SORT) -> RegionFigures:
    """Everything /stats/ shows for a summer: two grouped queries whatever the data size."""
    org_seasons = organization_seasons()
    all_seasons = seasons_of(org_seasons)
    chosen = year if year is not None else latest_year(all_seasons)
    result = RegionFigures(
        year=chosen,
        seasons=all_seasons,
        demo=any(season.demo for season in all_seasons.values()),
    )
    if chosen is None or chosen not in all_seasons:
        return result
    result.region_years = [chosen - 2, chosen - 1, chosen]
    bases = {y: comparable(org_seasons, y) for y in result.region_years[1:]}
    for measure in MEASURES:
        values = [
            all_seasons[y].values[measure.key] if y in all_seasons else None
            for y in result.region_years
        ]
        result.region.append(
            RegionLine(
                measure=measure,
                values=values,
                changes=[
                    Change(values[1], values[0], basis=bases[chosen - 1][measure.key]),
                    Change(values[2], values[1], basis=bases[chosen][measure.key]),
                ],
            )
        )
    result.headline = headline_of(all_seasons, chosen, org_seasons)
    result.municipalities = season_rows(
        by="municipality", year=chosen, sort=sort, org_seasons=org_seasons
    )
    result.organizations = season_rows(
        by="organization", year=chosen, sort=sort, org_seasons=org_seasons
    )
    result.months = months(year=chosen)
    return result


@dataclass(frozen=True)
class Headline:
    """The last summer's headline figures, for the home page."""

    year: int
    figures: list[tuple[Measure, Change]]
    organizations: int
    demo: bool
    complete_organizations: int = 0


HEADLINE_KEYS = ("outdoor_events", "outdoor_attendance", "sites", "days")


def last_summer_headline() -> Headline | None:
    """The latest summer with accepted figures against the one before: one query."""
    org_seasons = organization_seasons()
    all_seasons = seasons_of(org_seasons)
    year = latest_year(all_seasons)
    if year is None:
        return None
    return Headline(
        year=year,
        figures=[
            (m, c) for m, c in headline_of(all_seasons, year, org_seasons) if m.key in HEADLINE_KEYS
        ],
        organizations=all_seasons[year].organizations,
        demo=any(season.demo for season in all_seasons.values()),
        complete_organizations=all_seasons[year].complete_organizations,
    )


def demo_figures_loaded() -> bool:
    """Whether demonstration reports (made by load_demo) are among the counted figures."""
    return Report.objects.counted().filter(comment__startswith=DEMO_MARKER).exists()
