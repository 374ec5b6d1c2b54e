"""Reads of statistics: a report's values beside last year's, the operator's reports, the
versions of a form, the latest figures of the indicators decisions aim to move (the
collection's board, queue and to-do are in stats/collection.py)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from .checks import Finding
from .models import (
    CheckSettings,
    DecisionTarget,
    FormItem,
    FormTemplate,
    Indicator,
    Report,
    ReportingPeriod,
    Value,
)
from .region_figures import Change, comparable, measure_of, organization_seasons, seasons_of


def form_items(form) -> list[FormItem]:
    """The form's lines in order, each with its indicator and the indicator's parent."""
    return list(form.items.select_related("indicator__parent").order_by("order"))


def parents_of(items) -> dict[str, str]:
    """Part code → whole code, for the «из них» lines of a form."""
    return {
        item.indicator.code: item.indicator.parent.code
        for item in items
        if item.indicator.parent_id is not None
    }


def indicator_names(items) -> dict[str, str]:
    """Indicator code → the name people read, for the form's lines and their wholes."""
    names = {}
    for item in items:
        indicator = item.indicator
        names[indicator.code] = indicator.name
        if indicator.parent_id is not None:
            names.setdefault(indicator.parent.code, indicator.parent.name)
    return names


def stock_codes(items) -> frozenset[str]:
    """The codes of the form's stock indicators (a number of points), which some checks
    against last year leave out."""
    return frozenset(
        item.indicator.code for item in items if item.indicator.kind == Indicator.Kind.STOCK
    )


def check_context(form, items) -> dict:
    """What stats.checks.run_checks needs of a form version besides the figures: its parts,
    line names, stocks and the check thresholds the centre set for it (one query)."""
    return {
        "parents": parents_of(items),
        "names": indicator_names(items),
        "stocks": stock_codes(items),
        "thresholds": CheckSettings.objects.thresholds_for(form),
    }


def report_values(report: Report) -> dict[str, Value]:
    return {v.indicator.code: v for v in report.values.select_related("indicator")}


def last_year_values(report: Report) -> dict[str, int | None]:
    """The same organisation's figures for the same month a year earlier, by indicator code.

    Any form version counts, and an indicator that replaced an older one inherits its
    figures, so series stay continuous across editions of the form.
    """
    key = (report.organization_id, report.period.year, report.period.month)
    return last_year_values_for([key])[key]


def last_year_values_for(keys) -> dict[tuple[int, int, int], dict[str, int | None]]:
    """last_year_values for many (organisation id, year, month) at once: two queries."""
    keys = set(keys)
    wanted = {(org, year - 1, month): (org, year, month) for org, year, month in keys}
    result: dict[tuple[int, int, int], dict[str, int | None]] = {key: {} for key in keys}
    if not keys:
        return result
    rows = (
        Value.objects.exclude(report__status=Report.Status.SUPERSEDED)
        .filter(
            report__organization_id__in={org for org, _y, _m in keys},
            report__period__year__in={year - 1 for _o, year, _m in keys},
            report__period__month__in={month for _o, _y, month in keys},
        )
        .values_list(
            "report__organization_id",
            "report__period__year",
            "report__period__month",
            "indicator__code",
            "indicator_id",
            "value",
        )
    )
    by_id: dict[tuple[int, int, int], dict[int, int | None]] = {}
    for org, year, month, code, indicator_id, value in rows:
        key = wanted.get((org, year, month))
        if key is None:
            continue
        result[key][code] = value
        by_id.setdefault(key, {})[indicator_id] = value
    replaced = {indicator_id for values in by_id.values() for indicator_id in values}
    successors = list(
        Indicator.objects.filter(replaces_id__in=replaced).only("code", "replaces_id")
    )
    for key, values in by_id.items():
        for indicator in successors:
            if indicator.replaces_id in values:
                result[key].setdefault(indicator.code, values[indicator.replaces_id])
    return result


def reports_for_user(user):
    """Reports a library operator may open: those of her own organisation only."""
    account = getattr(user, "operator_account", None)
    if account is None:
        return Report.objects.none()
    return Report.objects.filter(organization_id=account.organization_id)


def operator_organization(user):
    account = getattr(user, "operator_account", None)
    return account.organization if account else None


def open_periods(today=None):
    """Periods up to the current month, newest first (operators report past months)."""
    import datetime

    today = today or datetime.date.today()
    return ReportingPeriod.objects.filter(
        Q(year__lt=today.year) | Q(year=today.year, month__lte=today.month)
    ).order_by("-year", "-month")


# --- A report as its pages show it ---------------------------------------------------------


@dataclass
class ReportLine:
    """One line of a report as people read it: the figure, last year's, the findings."""

    code: str
    name: str
    unit: str
    section: str
    is_part: bool
    value: int | None
    last_year: int | None
    explanation: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def growth(self) -> float | None:
        """(current / previous − 1) × 100, only where the previous value is above zero."""
        if self.value is None or not self.last_year:
            return None
        return (self.value / self.last_year - 1) * 100

    @property
    def growth_display(self) -> str:
        growth = self.growth
        return "" if growth is None else f"{growth:+.0f} %".replace("-", "−")

    @property
    def has_hard(self) -> bool:
        return any(f.is_hard for f in self.findings)

    @property
    def needs_explanation(self) -> bool:
        return any(not f.is_hard for f in self.findings) and not self.explanation.strip()


def stored_findings(report: Report) -> dict[str, list[Finding]]:
    """The check results of the report's last save, by indicator code."""
    found: dict[str, list[Finding]] = {}
    for result in report.check_results.select_related("indicator").order_by("pk"):
        code = result.indicator.code
        found.setdefault(code, []).append(
            Finding(result.code, result.severity, code, result.message)
        )
    return found


@dataclass
class ReportState:
    items: list
    values: dict
    last_year: dict
    findings: dict[str, list[Finding]]

    @classmethod
    def of(cls, report: Report) -> "ReportState":
        return cls(
            items=form_items(report.form),
            values=report_values(report),
            last_year=last_year_values(report),
            findings=stored_findings(report),
        )

    @property
    def explained(self) -> set[str]:
        return {code for code, v in self.values.items() if v.explanation.strip()}

    def lines(self) -> list[ReportLine]:
        return report_lines(self.items, self.values, self.last_year, self.findings)


def report_lines(items, values: dict, last_year: dict, findings: dict | None = None):
    """The form's lines in order, each with the stored figure (values: Value by code),
    last year's and the findings."""
    lines = []
    for item in items:
        indicator, stored = item.indicator, values.get(item.indicator.code)
        lines.append(
            ReportLine(
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                section=item.section,
                is_part=indicator.parent_id is not None,
                value=stored.value if stored else None,
                last_year=last_year.get(indicator.code),
                explanation=stored.explanation if stored else "",
                findings=(findings or {}).get(indicator.code, []),
            )
        )
    return lines


def form_codes(versions=None):
    """(code, name) of every approved form, the name of its newest version; from the
    approved versions given, or one query."""
    if versions is None:
        versions = (
            FormTemplate.objects.approved()
            .order_by("code", "-version")
            .only("code", "name", "version")
        )
    codes = {}
    for version in sorted(versions, key=lambda v: (v.code, -v.version)):
        codes.setdefault(version.code, version.name)
    return list(codes.items())


def form_version_for(code: str, year: int, month: int) -> FormTemplate | None:
    """The approved version of the form `code` that applies to the month, if any.

    Approval refuses overlapping periods, so there is at most one.
    """
    return FormTemplate.objects.applying_to(year, month).filter(code=code).first()


def month_report(organization_id: int, code: str, year: int, month: int) -> Report | None:
    """The organisation's report on the form `code` for the month, whatever its version."""
    return (
        Report.objects.exclude(status=Report.Status.SUPERSEDED)
        .select_related("form", "period", "organization")
        .filter(
            organization_id=organization_id,
            form_code=code,
            period__year=year,
            period__month=month,
        )
        .first()
    )


def required_lines(items) -> list:
    """The form's lines that must hold a figure before the report is submitted."""
    return [item for item in items if item.required]


@dataclass(frozen=True)
class TargetFigure:
    """An indicator a resolution aims to move, with its latest accepted summer for the whole
    region, counted as /stats/ counts it (stats.region_figures)."""

    indicator_id: int
    code: str
    name: str  # as /stats/ names it, or the indicator's own name with its whole
    unit: str
    year: int | None  # the latest summer with an accepted figure; None while there is none
    period: str  # «Лето 2025 года (июнь–август)»; "" while there is none
    value: int | None
    change: Change | None  # against the summer before, like for like

    @property
    def growth_text(self) -> str:
        """+12,3 % against the summer before, or "" where there is no growth to show."""
        return self.change.growth_text if self.change is not None else ""


def latest_target_figures(resolution_ids: Iterable[int]) -> dict[int, list[TargetFigure]]:
    """Each resolution's linked indicators, in the order the secretary linked them, with the
    latest accepted summer of each for the region: every id given is a key (an empty list:
    no indicators). Two queries however many resolutions, one when none has indicators,
    none for no ids."""
    ids = list(dict.fromkeys(resolution_ids))
    result: dict[int, list[TargetFigure]] = {pk: [] for pk in ids}
    if not ids:
        return result
    targets = list(
        DecisionTarget.objects.filter(resolution_id__in=ids)
        .select_related("indicator__parent")
        .order_by("resolution_id", "pk")
    )
    if not targets:
        return result
    measures = {t.indicator_id: measure_of(t.indicator) for t in targets}
    keys = [m.key for m in measures.values()]
    org_seasons = organization_seasons(list(measures.values()))
    seasons = seasons_of(org_seasons, keys)
    latest = {}
    for indicator_id, measure in measures.items():
        years = [y for y, season in seasons.items() if season.values[measure.key] is not None]
        year = max(years, default=None)
        if year is None:
            latest[indicator_id] = (None, None, None)
            continue
        previous = seasons.get(year - 1)
        basis = comparable(org_seasons, year, keys=[measure.key])[measure.key]
        change = Change(
            seasons[year].values[measure.key],
            previous.values[measure.key] if previous else None,
            basis=basis,
        )
        latest[indicator_id] = (year, change.value, change)
    for target in targets:
        year, value, change = latest[target.indicator_id]
        result[target.resolution_id].append(
            TargetFigure(
                indicator_id=target.indicator_id,
                code=target.indicator.code,
                name=str(measures[target.indicator_id].label),
                unit=target.indicator.unit,
                year=year,
                period=_("Summer %(year)s (June–August)") % {"year": year} if year else "",
                value=value,
                change=change,
            )
        )
    return result
