"""The club's year: what the minutes of one year and its summer's figures say, for the page
/annual/<year>/ and its PDF, Word file and workbook.

Public content only: published meetings, the members their minutes admit, their resolutions,
and the accepted statistics. The summer's figures are the ones /stats/?year=<year> shows
(stats.region_figures, the same functions), and the read costs the same number of queries
whatever the number of meetings in the year or in the archive.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kernel.dates import long_date
from kernel.validators import is_sane_year
from meetings.models import Meeting
from members.models import Member, Municipality
from resolutions.models import Admission, Resolution
from stats.region_figures import (
    Change,
    Measure,
    Season,
    headline_of,
    organization_seasons,
    seasons_of,
)

OPEN_STATUSES = (Resolution.Status.ADOPTED, Resolution.Status.IN_PROGRESS)


@dataclass(frozen=True)
class Tally:
    """One line of a count: a kind of resolution, a status of decisions, a municipality."""

    label: str
    count: int


@dataclass(frozen=True)
class Summer:
    """The summer of the year as /stats/?year=<year> heads it: each measure beside the year
    before, growth like for like (stats.region_figures.headline_of)."""

    season: Season
    headline: list[tuple[Measure, Change]]
    demo: bool


@dataclass
class AnnualReport:
    year: int
    today: datetime.date  # the day the statuses and the overdue decisions are judged on
    meetings: list[Meeting] = field(default_factory=list)
    admissions: list[Admission] = field(default_factory=list)
    kinds: list[Tally] = field(default_factory=list)  # resolutions by kind, none left out
    statuses: list[Tally] = field(default_factory=list)  # the year's decisions by status
    overdue: list[Resolution] = field(default_factory=list)
    summer: Summer | None = None
    municipalities_total: int = 0
    uncovered: list[str] = field(default_factory=list)  # municipalities without a member

    @property
    def has_data(self) -> bool:
        return bool(self.meetings) or self.summer is not None

    @property
    def resolutions_count(self) -> int:
        return sum(t.count for t in self.kinds)

    @property
    def decisions_count(self) -> int:
        return sum(t.count for t in self.statuses)

    @property
    def admitted_from(self) -> list[Tally]:
        """The municipalities the admitted members come from, with how many from each."""
        counts = Counter(admission_municipality(a) for a in self.admissions)
        return [Tally(name, n) for name, n in sorted(counts.items(), key=lambda i: i[0])]

    @property
    def covered_count(self) -> int:
        return self.municipalities_total - len(self.uncovered)

    @property
    def year_end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


def admission_municipality(admission: Admission) -> str:
    municipality = admission.member.organization.municipality
    return municipality.name if municipality else _("Municipality not set")


def year_meetings(year: int) -> list[Meeting]:
    """The year's published meetings, oldest first, with their hosts and the number of items
    of their minutes (`items`): one query."""
    return list(
        Meeting.objects.published()
        .filter(date__year=year)
        .select_related("venue")
        .annotate(items=Count("resolutions"))
        .order_by("date", "pk")
    )


def year_admissions(year: int) -> list[Admission]:
    """Who the year's published minutes admit, in the order of the minutes: one query."""
    return list(
        Admission.objects.filter(
            resolution__meeting__status=Meeting.Status.PUBLISHED,
            resolution__meeting__date__year=year,
        )
        .select_related("member__organization__municipality", "resolution__meeting")
        .order_by("resolution__meeting__date", "resolution__section", "resolution__number", "pk")
    )


def year_tallies(year: int) -> tuple[list[Tally], list[Tally]]:
    """The year's resolutions by kind and its decisions by status (every kind and status,
    zero included, in the order of their choices): one grouped query."""
    rows = (
        Resolution.objects.published()
        .filter(meeting__date__year=year)
        .values("kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    kinds: Counter = Counter()
    statuses: Counter = Counter()
    for row in rows:
        kinds[row["kind"]] += row["n"]
        if row["kind"] == Resolution.Kind.DECISION:
            statuses[row["status"]] += row["n"]
    return (
        [Tally(str(label), kinds[value]) for value, label in Resolution.Kind.choices],
        [Tally(str(label), statuses[value]) for value, label in Resolution.Status.choices],
    )


def year_overdue(year: int, today: datetime.date) -> list[Resolution]:
    """The year's decisions still open past their due date, earliest due first: a query, and
    one more for their responsible organisations when there are any."""
    return list(
        Resolution.objects.published()
        .filter(meeting__date__year=year)
        .overdue(today)
        .select_related("meeting")
        .prefetch_related("responsible_organizations")
        .order_by("due_date", "meeting__date", "section", "number")
    )


def members_at(day: datetime.date):
    """Members of the club on that day, as the public may know them: admitted by published
    minutes dated by then, or founders who had joined by then; not having left by then (a
    member who left on a day not entered has left already)."""
    admitted = Q(
        admission__resolution__meeting__status=Meeting.Status.PUBLISHED,
        admission__resolution__meeting__date__lte=day,
    )
    founder = Q(is_founder=True) & (Q(joined_on__isnull=True) | Q(joined_on__lte=day))
    staying = Q(status=Member.Status.ACTIVE) | Q(left_on__gt=day)
    return Member.objects.filter(admitted | founder).filter(staying)


def uncovered_municipalities(day: datetime.date) -> tuple[int, list[str]]:
    """How many municipalities the catalogue holds, and the names of those where no member
    of the club worked on that day: one query."""
    rows = Municipality.objects.annotate(
        covered=Exists(members_at(day).filter(organization__municipality=OuterRef("pk")))
    ).values_list("name", "covered")
    rows = list(rows.order_by("name"))
    return len(rows), [name for name, covered in rows if not covered]


def year_summer(year: int) -> Summer | None:
    """The summer of the year as /stats/?year=<year> heads it, or None: one grouped query."""
    org_seasons = organization_seasons()
    all_seasons = seasons_of(org_seasons)
    season = all_seasons.get(year)
    if season is None:
        return None
    return Summer(
        season=season,
        headline=headline_of(all_seasons, year, org_seasons),
        demo=any(s.demo for s in all_seasons.values()),
    )


def annual_report(year: int, *, today: datetime.date | None = None) -> AnnualReport | None:
    """Everything the club's year states, or None for a year outside the portal's range.

    Seven queries (eight when some decisions are overdue), however many meetings the year or
    the archive holds. A year the data does not reach is returned with `has_data` false.
    """
    if not is_sane_year(year):
        return None
    today = today or timezone.localdate()
    report = AnnualReport(year=year, today=today)
    report.meetings = year_meetings(year)
    report.admissions = year_admissions(year)
    report.kinds, report.statuses = year_tallies(year)
    report.overdue = year_overdue(year, today)
    report.summer = year_summer(year)
    # The year as it ended, or as it stands while it lasts.
    report.municipalities_total, report.uncovered = uncovered_municipalities(
        min(report.year_end, today)
    )
    return report


@dataclass(frozen=True)
class YearEntry:
    """A year of the index: its published meetings and whether its summer has figures."""

    year: int
    meetings: int
    summer: bool


def annual_years() -> list[YearEntry]:
    """Every year with published minutes or accepted summer figures, newest first: two
    queries."""
    meetings = dict(
        Meeting.objects.published()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("year", "n")
    )
    summers = set(seasons_of(organization_seasons()))
    years = sorted(set(meetings) | summers, reverse=True)
    return [YearEntry(y, meetings.get(y, 0), y in summers) for y in years if is_sane_year(y)]


# The sentences every form of the report shares (the page, the PDF, the Word file and the
# workbook say the year in the same words).


def report_title(year: int) -> str:
    return _("The Club in %(year)s: the year's report") % {"year": year}


def summary_sentences(report: AnnualReport) -> list[str]:
    """The year in a few sentences, a count each."""
    year = report.year
    meetings = len(report.meetings)
    admitted = len(report.admissions)
    items = report.resolutions_count
    decisions = report.decisions_count
    sentences = [
        ngettext(
            "In %(year)s the Club held %(counter)s meeting.",
            "In %(year)s the Club held %(counter)s meetings.",
            meetings,
        )
        % {"year": year, "counter": meetings},
        ngettext(
            "%(counter)s member was admitted to the Club.",
            "%(counter)s members were admitted to the Club.",
            admitted,
        )
        % {"counter": admitted},
        ngettext(
            "The minutes of the year hold %(counter)s item.",
            "The minutes of the year hold %(counter)s items.",
            items,
        )
        % {"counter": items},
        ngettext(
            "%(counter)s of them is a decision to be carried out.",
            "%(counter)s of them are decisions to be carried out.",
            decisions,
        )
        % {"counter": decisions},
    ]
    if report.overdue:
        overdue = len(report.overdue)
        sentences.append(
            ngettext(
                "On %(date)s %(counter)s of them is overdue.",
                "On %(date)s %(counter)s of them are overdue.",
                overdue,
            )
            % {"date": long_date(report.today), "counter": overdue}
        )
    return sentences


def meeting_line(meeting: Meeting) -> str:
    """«23 июня 2021 г., ежегодное заседание, онлайн: «Тема»»."""
    values = {
        "date": long_date(meeting.date),
        "kind": meeting.get_kind_display(),
        "format": meeting.get_format_display(),
        "topic": meeting.topic or meeting.title,
    }
    return _("%(date)s, %(kind)s, %(format)s: “%(topic)s”") % values


def admission_line(admission: Admission) -> str:
    """«Фамилия Имя Отчество (организация, муниципалитет)»."""
    member = admission.member
    return _("%(name)s (%(organization)s, %(municipality)s)") % {
        "name": member.full_name,
        "organization": member.organization,
        "municipality": admission_municipality(admission),
    }


def overdue_line(resolution: Resolution) -> str:
    """An overdue decision named: where it was adopted, its text, its due date and who answers."""
    values = {
        "date": long_date(resolution.meeting.date),
        "number": resolution.number,
        "text": resolution.text,
        "due": long_date(resolution.due_date),
    }
    line = _("Minutes of %(date)s, item %(number)s, due %(due)s: %(text)s") % values
    if resolution.responsible:
        label = _("Responsible:")
        line = f"{line} {label} {resolution.responsible}."
    return line


def uncovered_sentence(report: AnnualReport) -> str:
    day = long_date(min(report.year_end, report.today))
    if not report.uncovered:
        return _("On %(date)s the Club had members in every municipality of the catalogue.") % {
            "date": day
        }
    return ngettext(
        "On %(date)s the Club had no member yet in %(counter)s municipality of %(total)s:",
        "On %(date)s the Club had no member yet in %(counter)s municipalities of %(total)s:",
        len(report.uncovered),
    ) % {"date": day, "counter": len(report.uncovered), "total": report.municipalities_total}
