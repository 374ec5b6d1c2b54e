"""The minutes as the public reads them: one whole set (page, PDF, workbook, extract) and the
archive, which searches and counts the items of the meetings it lists."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Length

from intake import search
from kernel.search import matching
from meetings.models import AgendaItem, Attendance, Meeting
from members.models import Member
from resolutions.models import Admission, Resolution


@dataclass
class MinutesSection:
    """One section of the minutes («постановили» or the decisions) with its numbered items."""

    value: int
    title: str  # the fixed name: «Постановили», «Решения по итогам мероприятия»
    intro: str  # the phrase the secretary typed, as the minutes have it
    items: list = field(default_factory=list)

    @property
    def intro_is_heading(self) -> bool:
        """Whether the typed phrase is the section's heading: it introduces the items
        («…постановили:», «Приняты следующие решения:») or says the section's name, so a
        fixed heading above it would say the same thing twice."""
        intro = _folded(self.intro)
        return bool(intro) and (intro.endswith(":") or _folded(self.title) in intro)

    @property
    def heading(self) -> str:
        """The section's heading in the document's own words, the fixed name without them."""
        return self.intro.strip() if self.intro_is_heading else self.title

    @property
    def lead(self) -> str:
        """A typed phrase that is not the heading, printed under it."""
        return "" if self.intro_is_heading else self.intro.strip()

    @property
    def document_heading(self) -> tuple[str, str]:
        """The block heading of the printed minutes (PDF and Word) as (words, verb), the
        verb set in bold: ГОСТ Р 7.0.97-2016's «ПОСТАНОВИЛИ:» or «РЕШИЛИ:». A typed phrase
        that ends with that verb («…рассмотрев опыт…, постановили:») is the heading, word for
        word as the minutes have it, so the verb is printed once and nothing is rewritten."""
        intro = self.intro.strip()
        ending = GOST_VERB_ENDING.search(intro)
        if ending:
            return intro[: ending.start()], intro[ending.start() :]
        return "", f"{GOST_VERBS[self.value]}:"

    @property
    def document_lead(self) -> str:
        """The typed phrase printed under the ГОСТ heading, when it is not the heading."""
        return "" if GOST_VERB_ENDING.search(self.intro.strip()) else self.intro.strip()


# ГОСТ Р 7.0.97-2016, 5.26: the part of the minutes on each question ends with what was
# resolved, headed «ПОСТАНОВИЛИ» (or «РЕШИЛИ»): the club's «постановили» and the decisions.
GOST_VERBS = {Resolution.Section.RESOLVED: "ПОСТАНОВИЛИ", Resolution.Section.DECISIONS: "РЕШИЛИ"}
GOST_VERB_ENDING = re.compile(r"(постановили|решили)\s*:$", re.IGNORECASE)


def _folded(text: str) -> str:
    return text.strip().casefold().replace("ё", "е")


@dataclass
class Minutes:
    """Everything one set of minutes prints, fetched in a fixed number of queries."""

    meeting: Meeting
    agenda: list[AgendaItem]
    attendances: list[Attendance]
    sections: list[MinutesSection]
    admitted: list  # Admission rows with member → organisation → municipality and resolution
    attachments: list

    @property
    def attendance_count(self) -> int:
        return len(self.attendances)

    @property
    def resolutions(self) -> list:
        return [item for section in self.sections for item in section.items]

    @property
    def edited_after_publication(self) -> datetime | None:
        """When published minutes were last edited (a minute's grace for the publishing save)."""
        published = self.meeting.published_at
        if not self.meeting.is_published or published is None:
            return None
        changed = self.last_modified
        return changed if (changed - published).total_seconds() > 60 else None

    @property
    def last_modified(self) -> datetime:
        stamps = [self.meeting.updated_at, *(r.updated_at for r in self.resolutions)]
        return max(s for s in stamps if s is not None)


def minutes_for(meeting: Meeting) -> Minutes:
    """The whole minutes of a meeting: 6 queries whatever its size."""
    agenda = list(meeting.agenda_items.order_by("order", "pk"))
    attendances = list(
        meeting.attendances.select_related("member__organization", "organization")
        # The page links a member's name to her record only where the public may open it.
        .annotate(member_is_public=Exists(Member.objects.public().filter(pk=OuterRef("member"))))
        .order_by("role", "member__last_name", "guest_name", "pk")
    )
    resolutions = list(
        Resolution.objects.filter(meeting=meeting)
        .select_related("agenda_item")
        .prefetch_related(
            "responsible_organizations",
            Prefetch(
                "admissions",
                queryset=Admission.objects.select_related(
                    "member__organization__municipality"
                ).order_by("pk"),
            ),
        )
        .order_by("section", "number")
    )
    intros = {
        Resolution.Section.RESOLVED: meeting.resolved_intro,
        Resolution.Section.DECISIONS: meeting.decisions_intro,
    }
    sections = [
        MinutesSection(value=value, title=str(label), intro=intros.get(value, ""))
        for value, label in Resolution.Section.choices
    ]
    by_value = {s.value: s for s in sections}
    for resolution in resolutions:
        resolution.meeting = meeting
        by_value[resolution.section].items.append(resolution)
    admitted = [a for r in resolutions for a in r.admissions.all()]
    for admission in admitted:
        admission.resolution = next(r for r in resolutions if r.pk == admission.resolution_id)
    return Minutes(
        meeting=meeting,
        agenda=agenda,
        attendances=attendances,
        sections=[s for s in sections if s.items],
        admitted=admitted,
        attachments=list(meeting.attachments.order_by("kind", "pk")),
    )


@dataclass(frozen=True)
class MinutesSize:
    """How much a set of minutes prints: its numbered items and the characters of its text."""

    items: int
    characters: int


# The meeting's own texts that the minutes print in full.
PRINTED_MEETING_TEXT = (
    "title",
    "topic",
    "address",
    "preamble",
    "resolved_intro",
    "decisions_intro",
)


def minutes_size(meeting: Meeting) -> MinutesSize:
    """The size of the meeting's minutes, read in one query without reading the minutes.

    Characters of everything typed at length: the meeting's own texts (from the instance),
    the agenda, the items and the attendees' names. The organisations' short names beside
    them are left out: they are short, and there are never more of them than of the rest.
    """

    def characters(related, *fields: str) -> Subquery:
        lengths = [Coalesce(Length(name), 0) for name in fields]
        total = sum(lengths[1:], lengths[0])
        return Subquery(
            related.order_by().values("meeting").annotate(total=Sum(total)).values("total"),
            output_field=IntegerField(),
        )

    sizes = (
        Meeting.objects.filter(pk=meeting.pk)
        .values(
            items=Subquery(
                meeting.resolutions.order_by()
                .values("meeting")
                .annotate(count=Count("pk"))
                .values("count"),
                output_field=IntegerField(),
            ),
            item_characters=characters(meeting.resolutions.all(), "text", "responsible_person"),
            agenda_characters=characters(
                meeting.agenda_items.all(), "title", "speakers", "summary"
            ),
            attendance_characters=characters(
                meeting.attendances.all(),
                "guest_name",
                "member__last_name",
                "member__first_name",
                "member__patronymic",
            ),
        )
        .first()
    ) or {}
    own = sum(len(getattr(meeting, name) or "") for name in PRINTED_MEETING_TEXT)
    typed = sum(sizes.get(key) or 0 for key in sizes if key.endswith("_characters"))
    return MinutesSize(items=sizes.get("items") or 0, characters=own + typed)


def search_meetings(queryset, query: str, *, with_items: bool = True):
    """Meetings whose own texts, one agenda question or (``with_items``) one item hold every
    word of the query in any form, «ё» as «е» (kernel.search: the same rows on SQLite and
    PostgreSQL, each of the three id lists served by its own index on PostgreSQL)."""
    query = query.strip()
    if not query:
        return queryset
    groups = search.query_groups(query)
    ids = [
        matching(Meeting.objects.order_by(), groups).values("pk"),
        matching(AgendaItem.objects.order_by(), groups).values("meeting_id"),
    ]
    if with_items:
        ids.append(matching(Resolution.objects.order_by(), groups).values("meeting_id"))
    # One UNION, not ORs of IN lists: PostgreSQL scans a table for an IN list inside an OR
    # (30 ms over 1,000 meetings) where alone it reads the index (0.4 ms).
    return queryset.filter(pk__in=ids[0].union(*ids[1:]))


def archive_queryset(user, *, year=None, kind=None, format=None, query=""):
    """The archive as the visitor filtered it, newest first, with item counts."""
    qs = Meeting.objects.visible_to(user).select_related("venue")
    if year:
        qs = qs.filter(date__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if format:
        qs = qs.filter(format=format)
    if query:
        qs = search_meetings(qs, query)
    # A subquery, not a join with GROUP BY: the database counts the items of the page's
    # twenty meetings only, and the paginator's COUNT(*) leaves it out altogether.
    items = (
        Resolution.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return qs.annotate(
        resolution_count=Coalesce(Subquery(items), Value(0), output_field=IntegerField())
    ).order_by("-date", "-pk")
