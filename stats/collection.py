"""Reads of the collection in progress: the months each library system owes, the centre's
board and review queue, what changed since a report was returned, and the operator's to-do."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import pgettext_lazy

from members.models import Organization

from .models import FormTemplate, Report, ReportingPeriod, Value

SHORT_STATUS = {
    Report.Status.DRAFT: pgettext_lazy("short report status", "draft"),
    Report.Status.SUBMITTED: pgettext_lazy("short report status", "submitted"),
    Report.Status.RETURNED: pgettext_lazy("short report status", "returned"),
    Report.Status.ACCEPTED: pgettext_lazy("short report status", "accepted"),
    Report.Status.LOCKED: pgettext_lazy("short report status", "closed"),
}
# A month with no report is as unsubmitted as one still being written.
NOT_SUBMITTED = (None, *Report.EDITABLE)

# The operator's to-do looks for months with no report in this year and the year before:
# older gaps are the board's to show, a year at a time, and a library that joined the
# collection late would otherwise find years of months it never owed.
TODO_YEARS = 2


def month_ended(year: int, month: int, today: datetime.date) -> bool:
    """A month is reported once it is over: from the first of the next month."""
    return (year, month) < (today.year, today.month)


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _last_ended(today: datetime.date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


@dataclass
class Collection:
    """The months owed on a form: every month that is over, from the first reporting period
    of the collection, to which an approved version of the form applies.

    Due dates are the periods' (the centre sets them in the admin), or the 5th of the next
    month for a period nobody has opened yet.
    """

    code: str
    versions: list[FormTemplate]
    due_dates: dict[tuple[int, int], datetime.date | None]
    today: datetime.date

    @classmethod
    def of(cls, code: str, *, today=None, versions=None, periods=None) -> "Collection":
        """Two queries (the versions and the periods), none for what the caller gives:
        versions, any approved ones (others codes' are left out); periods, (year, month,
        due date) rows."""
        if versions is None:
            versions = FormTemplate.objects.approved().filter(code=code)
        if periods is None:
            periods = ReportingPeriod.objects.values_list("year", "month", "due_date")
        return cls(
            code=code,
            versions=[v for v in versions if v.code == code and v.status == v.Status.APPROVED],
            due_dates={(year, month): due for year, month, due in periods},
            today=today or timezone.localdate(),
        )

    @property
    def start(self) -> tuple[int, int]:
        """The first month of the collection: its first period, or the last month that is
        over when no period exists yet."""
        return min(self.due_dates) if self.due_dates else _last_ended(self.today)

    def due_date(self, year: int, month: int) -> datetime.date:
        return self.due_dates.get((year, month)) or ReportingPeriod.default_due_date(year, month)

    def version_for(self, year: int, month: int) -> FormTemplate | None:
        return next((v for v in self.versions if v.applies_to(year, month)), None)

    def is_owed(self, year: int, month: int) -> bool:
        return (
            month_ended(year, month, self.today)
            and (year, month) >= self.start
            and self.version_for(year, month) is not None
        )

    def owed_months(self, *, since: tuple[int, int]) -> list[tuple[int, int]]:
        """The owed months from `since` (or the start of the collection) to the last one over."""
        year, month = max(since, self.start)
        last = _last_ended(self.today)
        months = []
        while (year, month) <= last:
            if self.version_for(year, month) is not None:
                months.append((year, month))
            year, month = _month_after(year, month)
        return months

    def days_overdue(self, year: int, month: int, status: str | None) -> int:
        """Days since the due date of a month owed and not handed in; 0 otherwise."""
        if status not in NOT_SUBMITTED or not self.is_owed(year, month):
            return 0
        return max(0, (self.today - self.due_date(year, month)).days)


# --- The centre's board -------------------------------------------------------------------

AWAITING = "awaiting"
RETURNED = "returned"
OVERDUE = "overdue"
NOT_STARTED = "not_started"
SHOW_CHOICES = [
    ("", pgettext_lazy("board filter", "all months")),
    (AWAITING, pgettext_lazy("board filter", "awaiting review")),
    (RETURNED, pgettext_lazy("board filter", "returned")),
    (OVERDUE, pgettext_lazy("board filter", "overdue")),
    (NOT_STARTED, pgettext_lazy("board filter", "not started")),
]


@dataclass
class BoardCell:
    month: int
    report_pk: int | None
    status: str | None
    owed: bool
    days_overdue: int
    # Picked out by the board's filter.
    marked: bool = False

    @property
    def label(self) -> str:
        return SHORT_STATUS[self.status] if self.status else "—"

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    def matches(self, show: str) -> bool:
        return {
            AWAITING: self.status == Report.Status.SUBMITTED,
            RETURNED: self.status == Report.Status.RETURNED,
            OVERDUE: self.overdue,
            NOT_STARTED: self.owed and self.status is None,
        }.get(show, True)


@dataclass
class BoardMonth:
    month: int
    name: str
    due_date: datetime.date


@dataclass
class Board:
    year: int
    code: str
    months: list[BoardMonth]
    # (organisation, its twelve cells), the rows the filter keeps.
    rows: list[tuple[Organization, list[BoardCell]]]
    # Handed in per month, over every library system of the municipality chosen.
    handed_in: list[int]
    organizations_count: int
    # How many cells each filter picks out, before it is applied.
    counts: dict[str, int] = field(default_factory=dict)


def board(
    *,
    year: int,
    form_code: str,
    municipality=None,
    show: str = "",
    month: int | None = None,
    today=None,
    versions=None,
) -> Board:
    """Library systems × the months of a year: each cell the report's status, the days it
    is overdue, and whether the filter (`show`, in `month` if given) picks it out; rows
    without such a cell are left out.

    Three queries whatever the number of organisations, and none for the versions when the
    caller has them: the organisations, the periods (for due dates), the reports as plain
    rows.
    """
    collection = Collection.of(form_code, today=today, versions=versions)
    organizations = Organization.objects.library_systems().select_related("municipality")
    if municipality is not None:
        organizations = organizations.filter(municipality=municipality)
    organizations = list(organizations.order_by("municipality__name", "short_name"))
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
    for organization_id, number, pk, status in rows:
        reports[organization_id, number] = (pk, status)

    owed = {number: collection.is_owed(year, number) for number in range(1, 13)}
    table, counts = [], dict.fromkeys((AWAITING, RETURNED, OVERDUE, NOT_STARTED), 0)
    for organization in organizations:
        cells = []
        for number in range(1, 13):
            pk, status = reports.get((organization.pk, number), (None, None))
            cell = BoardCell(
                number, pk, status, owed[number], collection.days_overdue(year, number, status)
            )
            for name in counts:
                counts[name] += cell.matches(name)
            cell.marked = bool(show) and cell.matches(show) and month in (None, number)
            cells.append(cell)
        table.append((organization, cells))
    handed_in = [
        sum(1 for _org, cells in table if cells[number - 1].status in Report.HANDED_IN)
        for number in range(1, 13)
    ]
    kept = [row for row in table if any(c.marked for c in row[1])] if show else table
    return Board(
        year=year,
        code=form_code,
        months=[
            BoardMonth(number, MONTHS_3[number], collection.due_date(year, number))
            for number in range(1, 13)
        ],
        rows=kept,
        handed_in=handed_in,
        organizations_count=len(table),
        counts=counts,
    )


# --- The review queue ---------------------------------------------------------------------


def review_queue():
    """Reports awaiting review, the one waiting longest first (submitted, oldest first)."""
    return (
        Report.objects.filter(status=Report.Status.SUBMITTED)
        .select_related("organization__municipality", "form", "period")
        .order_by("submitted_at", "pk")
    )


@dataclass
class QueuePlace:
    """Where a report stands in the review queue, and its neighbours there."""

    position: int | None  # from 1; None when the report does not await review
    total: int
    previous: Report | None
    next: Report | None


def queue_place(report: Report) -> QueuePlace:
    """Three queries: the neighbours before and after, and the counts.

    A report that no longer awaits review (just accepted or returned) keeps its place in
    the order it was submitted in, so «next» is the one after it all the same.
    """
    queue = review_queue().exclude(pk=report.pk)
    moment = report.submitted_at
    if moment is None:
        # Never submitted: the whole queue is ahead of it.
        previous, following = None, queue.first()
        before = Q(pk=report.pk)
    else:
        before = Q(submitted_at__lt=moment) | Q(submitted_at=moment, pk__lt=report.pk)
        after = Q(submitted_at__gt=moment) | Q(submitted_at=moment, pk__gt=report.pk)
        previous = queue.filter(before).order_by("-submitted_at", "-pk").first()
        following = queue.filter(after).first()
    counts = Report.objects.filter(status=Report.Status.SUBMITTED).aggregate(
        total=Count("pk"), before=Count("pk", filter=before)
    )
    waiting = report.status == Report.Status.SUBMITTED
    return QueuePlace(
        position=counts["before"] + 1 if waiting else None,
        total=counts["total"],
        previous=previous,
        next=following,
    )


# --- What changed since the report was returned -------------------------------------------


@dataclass
class LineChange:
    code: str
    name: str
    unit: str
    value_before: int | None
    value_after: int | None
    explanation_before: str
    explanation_after: str

    @property
    def value_changed(self) -> bool:
        return self.value_before != self.value_after

    @property
    def explanation_changed(self) -> bool:
        return self.explanation_before != self.explanation_after


@dataclass
class ChangesSinceReturn:
    returned_at: datetime.datetime
    returned_by: object
    comment: str
    lines: list[LineChange]


def changes_since_return(report: Report, items, values: dict, transitions) -> ChangesSinceReturn:
    """The lines whose figure or explanation differs from what they were when the report was
    last returned (from the figures' history), or None if it never was or still is.

    items: the form's lines; values: Value by code as they are now; transitions: the
    report's steps in order (already read for its page). One query.
    """
    returned = next(
        (t for t in reversed(list(transitions)) if t.to_status == Report.Status.RETURNED), None
    )
    if returned is None or report.status == Report.Status.RETURNED:
        return None
    then: dict[int, tuple[int | None, str]] = {}
    records = (
        Value.history.filter(report_id=report.pk, history_date__lte=returned.at)
        .order_by("indicator_id", "-history_date", "-history_id")
        .values_list("indicator_id", "value", "explanation", "history_type")
    )
    for indicator_id, value, explanation, kind in records:
        if indicator_id not in then:
            then[indicator_id] = (None, "") if kind == "-" else (value, explanation)
    lines = []
    for item in items:
        indicator, now = item.indicator, values.get(item.indicator.code)
        before, explained_before = then.get(indicator.pk, (None, ""))
        change = LineChange(
            code=indicator.code,
            name=indicator.name,
            unit=indicator.unit,
            value_before=before,
            value_after=now.value if now else None,
            explanation_before=explained_before,
            explanation_after=now.explanation if now else "",
        )
        if change.value_changed or change.explanation_changed:
            lines.append(change)
    return ChangesSinceReturn(
        returned_at=returned.at, returned_by=returned.user, comment=returned.comment, lines=lines
    )


# --- The operator's to-do -----------------------------------------------------------------


@dataclass
class TodoItem:
    """A month the library owes: not opened yet, a draft, or returned for correction."""

    year: int
    month: int
    code: str
    form_name: str
    due_date: datetime.date
    days_overdue: int
    report: Report | None = None

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def is_missing(self) -> bool:
        return self.report is None

    @property
    def is_returned(self) -> bool:
        return self.report is not None and self.report.status == Report.Status.RETURNED


@dataclass
class Todo:
    items: list[TodoItem]
    # Every other report of the organisation: handed in, or set aside; the newest first.
    rest: list[Report]


def operator_todo(organization, *, today=None, versions=None) -> Todo:
    """The organisation's months to do, the most urgent first (overdue by due date, then
    returned, then the rest by due date), and then its other reports.

    A month to do is one owed (stats.collection.Collection) in this year or the last with no
    report, or any draft or returned report. Three queries whatever the number of reports,
    two when the caller has the approved versions.
    """
    today = today or timezone.localdate()
    if versions is None:
        versions = FormTemplate.objects.approved().order_by("code", "version")
    versions = sorted(versions, key=lambda v: (v.code, v.version))
    periods = list(ReportingPeriod.objects.values_list("year", "month", "due_date"))
    reports = list(
        Report.objects.filter(organization=organization)
        .select_related("form", "period")
        .order_by("-period__year", "-period__month", "form_code")
    )
    names = {version.code: version.name for version in versions}  # the newest version's
    items, rest, have = [], [], set()
    for report in reports:
        if report.status != Report.Status.SUPERSEDED:
            have.add((report.form_code, report.period.year, report.period.month))
    collections = {
        code: Collection.of(code, today=today, versions=versions, periods=periods) for code in names
    }
    for report in reports:
        if not report.is_editable:
            rest.append(report)
            continue
        year, month = report.period.year, report.period.month
        collection = collections.get(report.form_code) or Collection.of(
            report.form_code, today=today, versions=versions, periods=periods
        )
        items.append(
            TodoItem(
                year=year,
                month=month,
                code=report.form_code,
                form_name=report.form.name,
                due_date=report.period.due_date or collection.due_date(year, month),
                days_overdue=collection.days_overdue(year, month, report.status),
                report=report,
            )
        )
    for code, collection in collections.items():
        for year, month in collection.owed_months(since=(today.year - TODO_YEARS + 1, 1)):
            if (code, year, month) in have:
                continue
            items.append(
                TodoItem(
                    year=year,
                    month=month,
                    code=code,
                    form_name=names[code],
                    due_date=collection.due_date(year, month),
                    days_overdue=collection.days_overdue(year, month, None),
                )
            )
    items.sort(key=_urgency)
    return Todo(items=items, rest=rest)


def _urgency(item: TodoItem):
    if item.days_overdue:
        return (0, item.due_date, item.code)
    return (1 if item.is_returned else 2, item.due_date, item.code)
