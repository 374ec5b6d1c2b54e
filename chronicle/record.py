"""A member's record in the club, from published minutes only: her admission, the meetings
she attended, the agenda items she spoke on, the gratitudes addressed to her and the
decisions she answers for.

Speakers, the thanked and the responsible person are names typed in the minutes' text, not
links to a member. The rows that may name her are found in the database by the lemma of her
surname (the stored search column, kernel.search); then the intake reads the names in them
(«Девятых И. А.», «Андреевой Елене Александровне») and keeps the rows that name her: the
same surname with her first name and patronymic, or with her initials. A surname alone is
not enough.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from intake import russian
from intake import search as words
from intake.items import gratitude_recipients
from kernel.search import matching
from meetings.models import AgendaItem, Attendance, Meeting
from members.models import Member
from resolutions.models import Resolution


@dataclass(frozen=True)
class MemberRecord:
    member: Member
    admission: Resolution | None  # the item of published minutes that admitted her
    attended: list[Attendance]
    spoke: list[AgendaItem]
    gratitudes: list[Resolution]
    decisions: list[Resolution]


def record_member(pk: int, user) -> Member:
    """The member whose record the visitor may see: a public one, or any for staff (the
    drafts they review link to the people they admit); 404 otherwise."""
    members = Member.objects.visible_to(user).with_organization()
    try:
        return members.select_related("admission__resolution__meeting").get(pk=pk)
    except Member.DoesNotExist:
        raise Http404 from None


def member_record(member: Member) -> MemberRecord:
    """The member's record from published minutes, in four queries (five when she answers
    for a decision: its organisations); a member from record_member(), her admission
    fetched with her."""
    published = Q(meeting__status=Meeting.Status.PUBLISHED)
    attended = list(
        member.attendances.filter(published)
        .select_related("meeting")
        .order_by("meeting__date", "meeting__pk")
    )
    surname = words.query_groups(member.last_name)
    spoke = [
        item
        for item in matching(AgendaItem.objects.filter(published), surname)
        .select_related("meeting")
        .order_by("meeting__date", "meeting__pk", "order")
        if any(_names(found.name, member) for found in _people(item.speakers))
    ]
    named = (
        matching(Resolution.objects.published(), surname)
        .filter(kind__in=[Resolution.Kind.GRATITUDE, Resolution.Kind.DECISION])
        .select_related("meeting")
        .prefetch_related("responsible_organizations")
        .order_by("meeting__date", "meeting__pk", "section", "number")
    )
    gratitudes, decisions = [], []
    for item in named:
        if item.kind == Resolution.Kind.GRATITUDE and _thanks(item.text, member):
            gratitudes.append(item)
        elif item.kind == Resolution.Kind.DECISION and any(
            _names(found.name, member) for found in _people(item.responsible_person)
        ):
            decisions.append(item)
    return MemberRecord(
        member=member,
        admission=_published_admission(member),
        attended=attended,
        spoke=spoke,
        gratitudes=gratitudes,
        decisions=decisions,
    )


def _published_admission(member: Member) -> Resolution | None:
    admission = member.admission_or_none
    if admission is None or not admission.resolution.meeting.is_published:
        return None
    return admission.resolution


def _people(text: str) -> list[russian.FoundPerson]:
    return russian.find_people(text, russian.NOMINATIVE) if text else []


def _thanks(text: str, member: Member) -> bool:
    recipients, _flags = gratitude_recipients(text)
    return any(r.person and _names(r.person.name, member) for r in recipients)


def _fold(text: str) -> str:
    return russian.fold_yo(text).casefold()


def _initials(*parts: str) -> str:
    return "".join(_fold(p)[:1] for p in parts if p)


def _names(name: russian.PersonName, member: Member) -> bool:
    """Whether a name read in the minutes is the member's: her surname with her first name
    (and patronymic, when both are written), or with her initials."""
    if _fold(name.surname) != _fold(member.last_name):
        return False
    if name.first_name:
        if _fold(name.first_name) != _fold(member.first_name):
            return False
        return not (name.patronymic and member.patronymic) or _fold(name.patronymic) == _fold(
            member.patronymic
        )
    if name.initials:
        written = _initials(*name.initials.replace(".", " ").split())
        return written == _initials(member.first_name, member.patronymic)
    return False
