"""The site's one search (/search/): published meetings, their items and public members, by
lemmas with «ё» read as «е», the same on SQLite and PostgreSQL (kernel.search), each group
ranked and shown with snippets whose matched words are flagged.

Nothing of a draft is found: meetings are the published ones, items those of published
minutes, members those ``Member.objects.public()`` lets the public see. A member is found by
her name and position, never by her e-mail or phone, which are not in her search column.
Two queries a group (its count and its first ``GROUP_SIZE`` hits), one more for the agenda
of the meetings shown: seven, whatever the size of the archive.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from intake import search
from intake.search import Piece
from kernel.search import matching, with_heading_rank
from meetings.models import AgendaItem, Meeting
from members.models import Member
from resolutions.models import Resolution

from .selectors import search_meetings

GROUP_SIZE = 20
# Counted up to this: past it the page says «more than», and the count stops early (17,000
# items of 20,000 took 60 ms to count on SQLite; up to the cap, 4).
COUNT_CAP = 1000


@dataclass(frozen=True)
class Hit:
    url: str
    title: list[Piece]
    snippet: list[Piece]
    record: object  # the meeting, item or member, for what the template shows beside


@dataclass
class Group:
    total: int = 0  # COUNT_CAP + 1 when there are more than COUNT_CAP
    hits: list[Hit] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return self.total > len(self.hits)

    @property
    def beyond_count(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def count_cap(self) -> int:
        return COUNT_CAP


def _count(found) -> int:
    # Unordered: sorted, the database would read every row found before the first one.
    return found.order_by()[: COUNT_CAP + 1].count()


@dataclass
class SiteSearch:
    query: str
    # No word of the query can be searched by (only prepositions, say, or punctuation).
    nothing_to_search: bool = False
    meetings: Group = field(default_factory=Group)
    resolutions: Group = field(default_factory=Group)
    members: Group = field(default_factory=Group)

    @property
    def total(self) -> int:
        return self.meetings.total + self.resolutions.total + self.members.total


def _first_matching(texts, groups) -> list[Piece]:
    """The snippet of the first text with a matched word, else of the first text."""
    snippets = [search.snippet(t, groups) for t in texts if t]
    for pieces in snippets:
        if any(p.matched for p in pieces):
            return pieces
    return snippets[0] if snippets else []


def _meetings(groups, query) -> Group:
    found = search_meetings(Meeting.objects.published(), query, with_items=False)
    shown = (
        with_heading_rank(found.select_related("venue"), groups)
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order")))
        .order_by("-rank", "-date", "-pk")[:GROUP_SIZE]
    )
    hits = []
    for meeting in shown:
        agenda = [f"{a.title}. {a.summary}".strip(". ") for a in meeting.agenda_items.all()]
        hits.append(
            Hit(
                url=meeting.get_absolute_url(),
                title=search.snippet(meeting.topic or meeting.title, groups, size=60),
                snippet=_first_matching([meeting.preamble, *agenda, meeting.address], groups),
                record=meeting,
            )
        )
    return Group(total=_count(found), hits=hits)


def _resolutions(groups) -> Group:
    found = matching(Resolution.objects.published(), groups)
    shown = (
        matching(Resolution.objects.published(), groups, in_listed_order=True)
        .select_related("meeting")
        .defer("meeting__preamble", "meeting__resolved_intro", "meeting__decisions_intro")
        .order_by("-meeting__date", "-meeting_id", "section", "number")[:GROUP_SIZE]
    )
    hits = [
        Hit(
            url=item.get_absolute_url(),
            title=[Piece(str(item.meeting.topic or item.meeting.title))],
            snippet=_first_matching([item.text, item.responsible_person], groups),
            record=item,
        )
        for item in shown
    ]
    return Group(total=_count(found), hits=hits)


def _members(groups) -> Group:
    found = matching(Member.objects.public(), groups)
    shown = (
        with_heading_rank(found.select_related("organization"), groups)
        .only(
            "pk",
            "last_name",
            "first_name",
            "patronymic",
            "position",
            "status",
            "organization__short_name",
        )
        .order_by("-rank", "last_name", "first_name", "patronymic", "pk")[:GROUP_SIZE]
    )
    hits = [
        Hit(
            url=member.get_absolute_url(),
            title=search.snippet(member.full_name, groups, size=10),
            snippet=search.snippet(member.position, groups) if member.position else [],
            record=member,
        )
        for member in shown
    ]
    return Group(total=_count(found), hits=hits)


def site_search(query: str) -> SiteSearch:
    """The three groups of the query's hits; ``nothing_to_search`` when no word counts."""
    query = query.strip()
    groups = search.query_groups(query)
    if not groups:
        return SiteSearch(query=query, nothing_to_search=True)
    return SiteSearch(
        query=query,
        meetings=_meetings(groups, query),
        resolutions=_resolutions(groups),
        members=_members(groups),
    )
