"""The report on open decisions (/resolutions/progress/): every decision still to be carried
out, by meeting, with its deadline, who answers for it, its latest progress and figures.

The rows are read here in a fixed number of queries whatever the number of decisions; the
page, the PDF and the Word file (chronicle/exporters/progress_*.py) write the same report.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kernel.dates import long_date
from meetings.models import Meeting
from resolutions.models import Resolution, ResolutionProgress
from stats.models import DecisionTarget
from stats.selectors import TargetFigure, latest_target_figures

# The latest entries of each decision the report shows; the decision's page has them all.
PROGRESS_SHOWN = 3


@dataclass(frozen=True)
class OpenDecision:
    """A decision still to be carried out, as the report shows it."""

    resolution: Resolution
    overdue: bool
    # The last PROGRESS_SHOWN entries, oldest first, and how many came before them.
    progress: list[ResolutionProgress]
    earlier_progress: int
    # The latest figures of the indicators the decision aims to move (stats).
    figures: list[TargetFigure] = field(default_factory=list)

    @property
    def responsible(self):
        return self.resolution.responsible

    @property
    def figure_lines(self) -> list[str]:
        return [figure_line(f) for f in self.figures]


def figure_line(figure: TargetFigure) -> str:
    """«Число мероприятий под открытым небом — лето 2025 года (июнь–август): 1 234 ед.,
    +12,3 % к предыдущему лету»: the latest accepted summer of the region, as /stats/."""
    if figure.value is None:
        return _("%(name)s: no accepted figures yet") % {"name": figure.name}
    values = {
        "name": figure.name,
        "period": figure.period[:1].lower() + figure.period[1:],
        "value": formats.number_format(figure.value, force_grouping=True),
        "unit": figure.unit,
        "growth": figure.growth_text,
    }
    if figure.growth_text:
        return (
            _("%(name)s — %(period)s: %(value)s %(unit)s, %(growth)s against the summer before")
            % values
        )
    return _("%(name)s — %(period)s: %(value)s %(unit)s") % values


@dataclass(frozen=True)
class MeetingDecisions:
    """One meeting's open decisions, in the order of their deadlines."""

    meeting: Meeting
    decisions: list[OpenDecision]

    @property
    def overdue_count(self) -> int:
        return sum(d.overdue for d in self.decisions)


@dataclass(frozen=True)
class ProgressReport:
    """Every open decision the viewer may see, by meeting in date order, as of `day`."""

    day: datetime.date
    meetings: list[MeetingDecisions]

    @property
    def count(self) -> int:
        return sum(len(m.decisions) for m in self.meetings)

    @property
    def overdue_count(self) -> int:
        return sum(m.overdue_count for m in self.meetings)

    @property
    def has_drafts(self) -> bool:
        return any(not m.meeting.is_published for m in self.meetings)

    @property
    def summary(self) -> str:
        """«5 решений не выполнены, из них 2 просрочены» or that there is none."""
        return progress_summary(self.count, self.overdue_count)


def progress_title() -> str:
    """The report's title, as the page, the files and the agenda item name it."""
    return _("On the progress of the decisions of the Club's meetings")


def progress_summary(count: int, overdue: int) -> str:
    if not count:
        return _("Every decision of the Club's meetings has been carried out or cancelled.")
    total = ngettext(
        "%(count)d decision is still to be carried out",
        "%(count)d decisions are still to be carried out",
        count,
    ) % {"count": count}
    if not overdue:
        return _("%(total)s; none is overdue.") % {"total": total}
    return ngettext(
        "%(total)s; %(overdue)d of them is overdue.",
        "%(total)s; %(overdue)d of them are overdue.",
        overdue,
    ) % {"total": total, "overdue": overdue}


def as_of(day: datetime.date) -> str:
    """«на 3 декабря 2026 г.»: the day the report (and each of its files) was made."""
    return _("as of %(date)s") % {"date": long_date(day)}


def open_items():
    """What the report lists: the decisions still to be carried out (adopted or in progress),
    and an item of another kind that names the indicators it aims to move (the seed's «…и
    продолжить работу… под открытым небом» is a note with a task) while it is not done or
    cancelled."""
    targeted = Exists(DecisionTarget.objects.filter(resolution=OuterRef("pk")))
    return Resolution.objects.filter(
        Q(kind=Resolution.Kind.DECISION) | (targeted & ~Q(kind=Resolution.Kind.ADMISSION)),
        status__in=[Resolution.Status.ADOPTED, Resolution.Status.IN_PROGRESS],
    )


def open_decisions(meetings):
    """The open items of these meetings, meetings in date order, in each the deadlines in
    order (none last), then section and number; with what each row shows."""
    latest = ResolutionProgress.objects.order_by("-date", "-pk")
    return (
        open_items()
        .filter(meeting__in=meetings)
        .select_related("meeting")
        .defer(
            "search_lemmas",
            "meeting__search_lemmas",
            "meeting__preamble",
            "meeting__resolved_intro",
            "meeting__decisions_intro",
        )
        .annotate(progress_count=Count("progress_entries"))
        .prefetch_related(
            "responsible_organizations",
            # A window over each decision's entries: the latest few, in one query.
            Prefetch(
                "progress_entries",
                queryset=latest.defer("evidence")[:PROGRESS_SHOWN],
                to_attr="latest_progress",
            ),
        )
        .order_by(
            "meeting__date",
            "meeting_id",
            F("due_date").asc(nulls_last=True),
            "section",
            "number",
        )
    )


def progress_report(user, *, today: datetime.date | None = None) -> ProgressReport:
    """The report as `user` may see it: the public sees published meetings only, staff every
    meeting (a draft's decisions marked so); with the latest figures of the indicators each
    decision aims to move (stats.selectors.latest_target_figures: two queries at most)."""
    today = today or timezone.localdate()
    rows = list(open_decisions(Meeting.objects.visible_to(user)))
    found = latest_target_figures([r.pk for r in rows])
    meetings: list[MeetingDecisions] = []
    for row in rows:
        entries = list(reversed(row.latest_progress))
        decision = OpenDecision(
            resolution=row,
            overdue=bool(row.due_date and row.due_date < today),
            progress=entries,
            earlier_progress=row.progress_count - len(entries),
            figures=list(found.get(row.pk, ())),
        )
        if not meetings or meetings[-1].meeting.pk != row.meeting_id:
            meetings.append(MeetingDecisions(meeting=row.meeting, decisions=[]))
        meetings[-1].decisions.append(decision)
    return ProgressReport(day=today, meetings=meetings)
