"""Reads of statistics: a report's values beside last year's, the operator's reports, the
centre's board."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from members.models import Organization

from .checks import Finding
from .models import FormItem, FormTemplate, Indicator, Report, ReportingPeriod, Value


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


# --- The centre's board of reports --------------------------------------------------------


SHORT_STATUS = {
    Report.Status.DRAFT: pgettext_lazy("short report status", "draft"),
    Report.Status.SUBMITTED: pgettext_lazy("short report status", "submitted"),
    Report.Status.RETURNED: pgettext_lazy("short report status", "returned"),
    Report.Status.ACCEPTED: pgettext_lazy("short report status", "accepted"),
    Report.Status.LOCKED: pgettext_lazy("short report status", "closed"),
}
NOT_SUBMITTED = (None, Report.Status.DRAFT, Report.Status.RETURNED)
HANDED_IN = (Report.Status.SUBMITTED, Report.Status.ACCEPTED, Report.Status.LOCKED)


@dataclass
class Cell:
    month: int
    report_pk: int | None
    status: str | None
    overdue: bool

    @property
    def label(self) -> str:
        return SHORT_STATUS[self.status] if self.status else "—"


def board_rows(*, year: int, form_code: str, municipality=None, today=None):
    """Library systems × the months of a year: each cell the report's status.

    Three queries whatever the number of organisations: the organisations, the
    year's periods (for their due dates) and the reports, read as plain rows.
    """
    today = today or timezone.localdate()
    organizations = Organization.objects.library_systems().select_related("municipality")
    if municipality is not None:
        organizations = organizations.filter(municipality=municipality)
    organizations = list(organizations.order_by("municipality__name", "short_name"))
    due = dict(ReportingPeriod.objects.filter(year=year).values_list("month", "due_date"))
    reports = {}
    rows = (
        Report.objects.filter(
            period__year=year,
            form_code=form_code,
            organization__in=[o.pk for o in organizations],
        )
        # One report per organisation and month (the database holds to it); a duplicate set
        # aside by migration 0007 is not the month's report.
        .exclude(status=Report.Status.SUPERSEDED)
        .values_list("organization_id", "period__month", "pk", "status")
    )
    for organization_id, month, pk, status in rows:
        reports[organization_id, month] = (pk, status)

    table = []
    for organization in organizations:
        cells = []
        for month in range(1, 13):
            pk, status = reports.get((organization.pk, month), (None, None))
            due_date = due.get(month) or ReportingPeriod.default_due_date(year, month)
            cells.append(Cell(month, pk, status, status in NOT_SUBMITTED and due_date < today))
        table.append((organization, cells))
    handed_in = [
        sum(1 for _org, cells in table if cells[month - 1].status in HANDED_IN)
        for month in range(1, 13)
    ]
    return table, handed_in


def form_codes():
    """(code, name) of every approved form, the name of its newest version."""
    codes = {}
    for code, name in (
        FormTemplate.objects.approved().order_by("code", "-version").values_list("code", "name")
    ):
        codes.setdefault(code, name)
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
