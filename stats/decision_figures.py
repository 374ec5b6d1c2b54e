"""The figures a resolution aims to move, on its public page: each linked indicator's summers
before the resolution and every one since, for the region and the named library systems.

The seasons are stats.region_figures' own (accepted and locked reports, June–August, a stock
its last month reported, growth like for like), so every number is the one /stats/ shows.
A summer counts as «since» when it had not ended by the day of the meeting: the minutes of
23 June 2021 are followed from the summer of 2021 on. The page is registered as a panel of
resolutions' item page (resolutions.panels) by StatsConfig.ready().
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from intake.search import query_groups
from kernel.dates import long_date
from members.models import Organization
from resolutions.models import Resolution

from . import charts
from .models import DecisionTarget, DecisionTargetSystem, Indicator
from .region_figures import (
    SUMMER_MONTHS,
    Change,
    Measure,
    OrganizationSeason,
    comparable,
    measure_of,
    organization_seasons,
    seasons_of,
)

# Words every indicator's name has: they say nothing of which one a text speaks of.
GENERIC_LEMMAS = frozenset({"число", "всего", "весь"})
# More than this share of the words of an indicator's name must be in the text to propose it
# (two of three is too few: «внестационарного обслуживания» alone is not «пункты…»).
PROPOSAL_SHARE = 2 / 3
# How many summers before the resolution its page shows; every summer since is shown.
SEASONS_BEFORE = 3
TEMPLATE = "stats/_decision_figures.html"


def first_season_since(day: datetime.date) -> int:
    """The first summer a resolution of this day can have moved: this year's while it lasts."""
    last_day = datetime.date(day.year, SUMMER_MONTHS[-1], 31)
    return day.year if day <= last_day else day.year + 1


@dataclass
class SystemLine:
    """One named library system: its summers in the years shown (growth only between two
    whole summers, as /stats/ gives a library system's own growth)."""

    organization: Organization
    cells: list[Change]


@dataclass
class TargetLine:
    """One indicator: the region's summers before the resolution and since."""

    measure: Measure
    unit: str
    years: list[int]  # shown, oldest first
    first_since: int
    region: list[Change]  # each shown summer against the one before it
    systems: list[SystemLine] = field(default_factory=list)
    # The latest summer against the last one before the resolution, like for like.
    since_decision: Change | None = None
    chart: str = ""

    @property
    def before_years(self) -> list[int]:
        return [year for year in self.years if year < self.first_since]

    @property
    def since_years(self) -> list[int]:
        return [year for year in self.years if year >= self.first_since]

    @property
    def rows(self) -> list[dict]:
        """The table's rows, a summer each: the region's change, then each system's."""
        return [
            {
                "year": year,
                "since": year >= self.first_since,
                "region": self.region[index],
                "systems": [line.cells[index] for line in self.systems],
            }
            for index, year in enumerate(self.years)
        ]

    @property
    def last_before(self) -> int | None:
        return self.before_years[-1] if self.before_years else None

    @property
    def latest(self) -> int | None:
        return self.since_years[-1] if self.since_years else None


@dataclass
class DecisionFigures:
    date: datetime.date
    first_since: int
    lines: list[TargetLine]
    systems: list[Organization]
    demo: bool


def _changes(seasons, years: list[int], key: str, bases: dict) -> list[Change]:
    return [
        Change(
            seasons[year].values[key] if year in seasons else None,
            seasons[year - 1].values[key] if year - 1 in seasons else None,
            basis=bases[year][key],
        )
        for year in years
    ]


def _system_cells(
    by_key: dict[tuple[int, int], OrganizationSeason], organization_id: int, years, key: str
) -> list[Change]:
    cells = []
    for year in years:
        season = by_key.get((organization_id, year))
        before = by_key.get((organization_id, year - 1))
        whole = season is not None and season.is_complete and before and before.is_complete
        cells.append(
            Change(
                season.values[key] if season else None,
                before.values[key] if before else None,
                basis=None if whole else (None, None),
            )
        )
    return cells


def decision_figures(resolution: Resolution) -> DecisionFigures | None:
    """The figures of the indicators this resolution names, or None when it names none: one
    query then, three otherwise (its indicators, its library systems, the grouped seasons)."""
    targets = list(
        DecisionTarget.objects.filter(resolution=resolution)
        .select_related("indicator__parent")
        .order_by("pk")
    )
    if not targets:
        return None
    systems = [
        link.organization
        for link in DecisionTargetSystem.objects.filter(resolution=resolution)
        .select_related("organization")
        .order_by("organization__short_name")
    ]
    measures = [measure_of(target.indicator) for target in targets]
    keys = [m.key for m in measures]
    org_seasons = organization_seasons(measures)
    seasons = seasons_of(org_seasons, keys)
    by_key = {(s.organization_id, s.year): s for s in org_seasons}
    date = resolution.meeting.date
    first_since = first_season_since(date)
    lines = []
    for target, measure in zip(targets, measures, strict=True):
        reported = [y for y, s in sorted(seasons.items()) if s.values[measure.key] is not None]
        before = [y for y in reported if y < first_since][-SEASONS_BEFORE:]
        since = [y for y in reported if y >= first_since]
        years = before + since
        bases = {y: comparable(org_seasons, y, keys=[measure.key]) for y in years}
        line = TargetLine(
            measure=measure,
            unit=target.indicator.unit,
            years=years,
            first_since=first_since,
            region=_changes(seasons, years, measure.key, bases),
            systems=[
                SystemLine(system, _system_cells(by_key, system.pk, years, measure.key))
                for system in systems
            ],
        )
        if before and since:
            latest, last_before = since[-1], before[-1]
            line.since_decision = Change(
                seasons[latest].values[measure.key],
                seasons[last_before].values[measure.key],
                basis=comparable(org_seasons, latest, against=last_before, keys=[measure.key])[
                    measure.key
                ],
            )
        lines.append(line)
    return DecisionFigures(
        date=date,
        first_since=first_since,
        lines=lines,
        systems=systems,
        demo=any(season.demo for season in seasons.values()),
    )


def with_charts(figures: DecisionFigures, *, prefix: str = "chart-target") -> DecisionFigures:
    """Each indicator's chart of the region's summers, with the resolution's day marked."""
    for number, line in enumerate(figures.lines, start=1):
        if line.years:
            line.chart = charts.decision_chart(
                line.years,
                [change.value for change in line.region],
                first_since=figures.first_since,
                mark=_("Decision of %(date)s") % {"date": long_date(figures.date)},
                label=str(line.measure.label),
                chart_id=f"{prefix}-{number}",
            )
    return figures


@dataclass(frozen=True)
class TimelineDecision:
    """A published resolution with indicators linked, placed before the first summer it
    can have moved: /stats/ marks it on its timeline and links to its page."""

    resolution: Resolution
    first_since: int

    @property
    def date(self) -> datetime.date:
        return self.resolution.meeting.date


def timeline_decisions() -> list[TimelineDecision]:
    """Every published resolution that names indicators, oldest first: one query."""
    resolutions = (
        Resolution.objects.published()
        .filter(targets__isnull=False)
        .distinct()
        .select_related("meeting")
        .order_by("meeting__date", "section", "number")
    )
    return [TimelineDecision(r, first_season_since(r.meeting.date)) for r in resolutions]


def chart_marks(decisions: list[TimelineDecision]) -> tuple[tuple[int, str], ...]:
    """(first summer since, the days of the decisions placed before it) for a chart."""
    days: dict[int, list[str]] = {}
    for decision in decisions:
        label = long_date(decision.date)
        if label not in days.setdefault(decision.first_since, []):
            days[decision.first_since].append(label)
    return tuple((year, ", ".join(labels)) for year, labels in sorted(days.items()))


def panel(resolution: Resolution) -> dict | None:
    """The context of the item page's panel (resolutions.panels), None without indicators."""
    figures = decision_figures(resolution)
    if figures is None:
        return None
    return {"figures": with_charts(figures)}


def _name_groups(text: str) -> list[tuple[str, ...]]:
    return [g for g in query_groups(text) if not GENERIC_LEMMAS.intersection(g)]


def proposed_indicators(resolution: Resolution, indicators: list[Indicator]) -> list[Indicator]:
    """The indicators whose names the item's text speaks of, by lemmas (the search's own,
    stored with the item): more than two thirds of the words of the indicator's name with its
    whole, and for a part («из них под открытым небом») every word of its own; a whole is
    left out where one of its parts is proposed, the part being what the text names. No
    query (select the indicators' parents)."""
    text = set((resolution.search_lemmas or "").split())

    def found(groups) -> int:
        return sum(1 for group in groups if text.intersection(group))

    chosen = []
    for indicator in indicators:
        groups = _name_groups(indicator.display_name)
        if not groups or found(groups) / len(groups) <= PROPOSAL_SHARE:
            continue
        if indicator.parent_id is not None:
            own = _name_groups(indicator.name)
            if found(own) < len(own):
                continue
        chosen.append(indicator)
    parts_of = {i.parent_id for i in chosen if i.parent_id is not None}
    return [i for i in chosen if i.pk not in parts_of]
