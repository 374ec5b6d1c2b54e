"""Writes of the minutes as a whole: a set of minutes read by the intake saved as a draft.

One service behind the admin's upload screen and `manage.py import_minutes`: the draft meeting
with its agenda, items, responsible organisations, admissions and (for a .docx) the uploaded
document as its attachment, created in one transaction or not at all. Nothing is published:
the secretary reads the draft and publishes it through meetings.services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from intake import MinutesDraft, match_draft, parse_minutes, read_text, read_upload
from intake.draft import ALL_LIBRARY_SYSTEMS, DECISIONS, RESOLVED
from intake.matching import (
    AMBIGUOUS,
    GROUP,
    LIBRARY_SYSTEM_KINDS,
    MATCHED,
    NEW,
    DraftMatches,
    OrgMatch,
)
from kernel.dates import long_date
from meetings.models import AgendaItem, Meeting, MeetingAttachment
from members.models import Member, Organization
from resolutions.models import ALREADY_ADMITTED_MESSAGE, Admission, Resolution
from resolutions.services import admissions_set


@dataclass
class ImportedMinutes:
    """What an import created, for the message or the command's report."""

    meeting: Meeting
    resolutions: list[Resolution] = field(default_factory=list)
    new_organizations: list[Organization] = field(default_factory=list)
    new_members: list[Member] = field(default_factory=list)
    existing_members: list[Member] = field(default_factory=list)


# ------------------------------------------------------------------ the plan: what will be saved
# The intake's draft with every match decided, as plain values: the review screen shows it as
# forms (each field editable) and turns the confirmed forms back into one; the command saves
# the plan exactly as read. An organisation is an existing record's id or a name to create.


@dataclass
class PlannedMember:
    """A person an item admits: an existing member (``member_id``) or a new one."""

    written: str  # as the item's text names her («Девятых Ирину Анатольевну»)
    member_id: int | None = None
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    position: str = ""
    organization_id: int | None = None
    new_organization: str = ""  # a name to create when no organisation of the catalogue fits
    status: str = NEW  # how the intake matched her: MATCHED, AMBIGUOUS or NEW


@dataclass
class PlannedItem:
    section: int  # Resolution.Section
    number: int
    kind: str
    text: str
    agenda_number: int | None = None
    due_date: datetime.date | None = None
    due_written: str = ""
    to_library_systems: bool = False  # «библиотечным системам области»: the group, not a list
    responsible_ids: list[int] = field(default_factory=list)
    responsible_new: list[str] = field(default_factory=list)
    responsible_person: str = ""
    admitted: list[PlannedMember] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # what the intake asks her to check


@dataclass
class MinutesPlan:
    title: str
    date: datetime.date | None
    topic: str = ""
    number: str = ""
    kind: str = Meeting.Kind.REGULAR
    format: str = Meeting.Format.OFFLINE
    venue_id: int | None = None
    new_venue: str = ""
    address: str = ""
    preamble: str = ""
    resolved_intro: str = ""
    decisions_intro: str = ""
    agenda: list[tuple[int, str]] = field(default_factory=list)
    items: list[PlannedItem] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def intake_catalogues() -> tuple[list[tuple], list[tuple]]:
    """The organisations and members as the intake matches against them (plain rows)."""
    organizations = list(
        Organization.objects.order_by("pk").values_list(
            "pk", "short_name", "full_name", "aliases", "kind"
        )
    )
    members = list(
        Member.objects.order_by("pk").values_list(
            "pk", "last_name", "first_name", "patronymic", "organization_id"
        )
    )
    return organizations, members


def minutes_read(data: bytes, *, pasted: str | None = None) -> tuple[MinutesDraft, DraftMatches]:
    """The draft of an uploaded .txt or .docx (or of pasted text) and its matches against the
    database; intake.IntakeRejected with the reason in Russian for a document it cannot read."""
    document = read_text(pasted, kind="paste") if pasted is not None else read_upload(data)
    draft = parse_minutes(document)
    organizations, members = intake_catalogues()
    return draft, match_draft(draft, organizations, members)


def _organization_choice(
    found: OrgMatch | None, mention, library_systems: list[int]
) -> tuple[list[int], list[str]]:
    """The records a mention stands for (ids) or the name to create for it."""
    if mention is None:
        return [], []
    if mention.group == ALL_LIBRARY_SYSTEMS or (found and found.status == GROUP):
        return list(library_systems), []
    if found and found.status == MATCHED:
        return [found.id], []
    if found and found.status == AMBIGUOUS and found.candidates:
        # The best candidate first: the review screen lets the secretary choose another.
        return [found.candidates[0]], []
    return [], [(mention.nominative or mention.written).strip()]


def minutes_plan(draft: MinutesDraft, matches: DraftMatches) -> MinutesPlan:
    """What saving the draft as read would create, every match decided as the intake
    judged it best."""
    heading = draft.heading
    intros = {s.kind: s.intro for s in draft.sections}
    library_systems = list(
        Organization.objects.filter(kind__in=LIBRARY_SYSTEM_KINDS)
        .order_by("short_name")
        .values_list("pk", flat=True)
    )
    venue_ids, venue_new = _organization_choice(
        matches.organisations.get(heading.venue), heading.venue, library_systems
    )
    plan = MinutesPlan(
        title=heading.title or _("Meeting of the Club"),
        topic=heading.topic,
        date=heading.date,
        number=heading.number,
        kind=heading.kind or Meeting.Kind.REGULAR,
        format=heading.format or Meeting.Format.OFFLINE,
        venue_id=venue_ids[0] if len(venue_ids) == 1 else None,
        new_venue=venue_new[0] if venue_new else "",
        address=heading.address,
        preamble=draft.preamble,
        # The phrases as the minutes write them; none where the minutes have no such section.
        resolved_intro=intros.get(RESOLVED, ""),
        decisions_intro=intros.get(DECISIONS, ""),
        agenda=[(q.number, q.title) for q in draft.agenda],
        flags=[f.message for f in draft.flags],
    )
    for section in draft.sections:
        for item in section.items:
            planned = PlannedItem(
                section=(
                    Resolution.Section.DECISIONS
                    if section.kind == DECISIONS
                    else Resolution.Section.RESOLVED
                ),
                number=item.number,
                kind=item.kind,
                text=item.text,
                agenda_number=item.agenda_number,
                due_date=item.due.date if item.due else None,
                due_written=item.due.written if item.due else "",
                responsible_person="; ".join(p.name.full_name for p in item.responsible_people),
                flags=[f.message for f in item.flags],
            )
            for mention in item.responsible:
                found = matches.organisations.get(mention)
                if mention.group == ALL_LIBRARY_SYSTEMS or (found and found.status == GROUP):
                    planned.to_library_systems = True
                    continue
                ids, new = _organization_choice(found, mention, library_systems)
                planned.responsible_ids += [i for i in ids if i not in planned.responsible_ids]
                planned.responsible_new += [n for n in new if n not in planned.responsible_new]
            for person in item.admitted:
                planned.admitted.append(_planned_member(person, matches, library_systems))
            plan.items.append(planned)
    return plan


def _planned_member(person, matches: DraftMatches, library_systems) -> PlannedMember:
    found = matches.member(person)
    ids, new = _organization_choice(
        matches.organisations.get(person.organisation), person.organisation, library_systems
    )
    member_id = None
    if found.status == MATCHED:
        member_id = found.id
    elif found.status == AMBIGUOUS and found.candidates:
        member_id = found.candidates[0]
    return PlannedMember(
        written=person.written,
        member_id=member_id,
        last_name=person.name.surname,
        first_name=person.name.first_name,
        patronymic=person.name.patronymic,
        position=person.position,
        organization_id=ids[0] if len(ids) == 1 else None,
        new_organization=new[0] if new else "",
        status=found.status,
    )


# ------------------------------------------------------------------------------ the one write


class _NewOrganizations:
    """Organisations the plan names but the catalogue lacks, each created once."""

    def __init__(self, created: list[Organization]):
        self.created = created
        self.by_name: dict[str, Organization] = {}

    def get(self, name: str) -> Organization:
        key = " ".join(name.split()).casefold().replace("ё", "е")
        if key not in self.by_name:
            organization = Organization.objects.filter(short_name=name.strip()).first()
            if organization is None:
                organization = Organization.objects.create(
                    short_name=name.strip(), kind=Organization.Kind.OTHER
                )
                self.created.append(organization)
            self.by_name[key] = organization
        return self.by_name[key]


@transaction.atomic
def minutes_save(
    *, plan: MinutesPlan, document: bytes | None = None, document_name: str = ""
) -> ImportedMinutes:
    """Create the draft meeting a plan describes, in one transaction: the meeting, its
    agenda, its items with their responsible organisations, the admissions (through
    resolutions.services.admissions_set) and, for a .docx, the document as an attachment.
    Nothing is published."""
    if plan.date is None:
        raise ValueError(_("The minutes give no date of the meeting."))
    refuse_members_admitted_before(plan)
    created: list[Organization] = []
    new_organizations = _NewOrganizations(created)
    venue = None
    if plan.venue_id:
        venue = Organization.objects.get(pk=plan.venue_id)
    elif plan.new_venue.strip():
        venue = new_organizations.get(plan.new_venue)
    meeting = Meeting(
        title=plan.title,
        topic=plan.topic,
        date=plan.date,
        number=plan.number,
        kind=plan.kind,
        format=plan.format,
        venue=venue,
        address=plan.address,
        preamble=plan.preamble,
        resolved_intro=plan.resolved_intro,
        decisions_intro=plan.decisions_intro,
    )
    meeting.save()
    agenda = {
        number: AgendaItem.objects.create(meeting=meeting, order=number, title=title)
        for number, title in plan.agenda
    }
    result = ImportedMinutes(meeting=meeting, new_organizations=created)
    members_by_name: dict[str, Member] = {}
    for item in plan.items:
        resolution = Resolution.objects.create(
            meeting=meeting,
            section=item.section,
            number=item.number,
            kind=item.kind,
            text=item.text,
            agenda_item=agenda.get(item.agenda_number),
            responsible_person=item.responsible_person,
            due_date=item.due_date,
            to_library_systems=item.to_library_systems,
        )
        responsible = list(Organization.objects.filter(pk__in=item.responsible_ids))
        responsible += [new_organizations.get(n) for n in item.responsible_new if n.strip()]
        if responsible:
            resolution.responsible_organizations.set(responsible)
        admitted = []
        for person in item.admitted:
            member = _member_for(person, new_organizations, result, members_by_name)
            if member is not None and member not in admitted:
                admitted.append(member)
        if admitted:
            admissions_set(resolution=resolution, members=admitted)
        result.resolutions.append(resolution)
    if document and document_name.lower().endswith(".docx"):
        attachment = MeetingAttachment(
            meeting=meeting, kind=MeetingAttachment.Kind.DOCUMENT, title=_("The minutes as written")
        )
        attachment.file.save(document_name, ContentFile(document), save=False)
        attachment.full_clean(exclude=["meeting"])
        attachment.save()
    return result


def refuse_members_admitted_before(plan: MinutesPlan) -> None:
    """A member is admitted once: ValidationError, naming each member the plan would admit
    again and the minutes that admitted her, before anything is written."""
    chosen = {p.member_id for item in plan.items for p in item.admitted if p.member_id}
    earlier = Admission.objects.filter(member_id__in=chosen).select_related(
        "member", "resolution__meeting"
    )
    errors = [
        ValidationError(
            ALREADY_ADMITTED_MESSAGE,
            code="already_admitted",
            params={
                "member": admission.member.full_name,
                "date": long_date(admission.resolution.meeting.date),
                "number": admission.resolution.number,
            },
        )
        for admission in earlier.order_by("member__last_name", "member__first_name")
    ]
    seen: dict[object, int] = {}
    for item in plan.items:
        for person in item.admitted:
            key = person.member_id or _folded_name(person)
            if key in seen and seen[key] != item.number:
                errors.append(
                    ValidationError(
                        _(
                            "%(member)s is admitted twice in these minutes: items %(first)s and "
                            "%(second)s. A member is admitted once."
                        ),
                        code="admitted_twice",
                        params={
                            "member": " ".join(
                                p
                                for p in (person.last_name, person.first_name, person.patronymic)
                                if p
                            ),
                            "first": seen[key],
                            "second": item.number,
                        },
                    )
                )
            seen.setdefault(key, item.number)
    if errors:
        raise ValidationError(errors)


def _folded_name(person: PlannedMember) -> str:
    full_name = " ".join((person.last_name, person.first_name, person.patronymic))
    return " ".join(full_name.split()).casefold().replace("ё", "е")


def minutes_import(
    *,
    draft: MinutesDraft,
    matches: DraftMatches,
    document: bytes | None = None,
    document_name: str = "",
) -> ImportedMinutes:
    """Save the draft as the intake read it (the command's path; the admin's screen saves
    the plan the secretary confirmed)."""
    return minutes_save(
        plan=minutes_plan(draft, matches), document=document, document_name=document_name
    )


def _member_for(person: PlannedMember, new_organizations, result, members_by_name) -> Member | None:
    """The member an admission names: the one chosen from the catalogue, or a new record
    with her name in the nominative and her organisation (none when no organisation)."""
    if person.member_id:
        member = Member.objects.get(pk=person.member_id)
        if member not in result.existing_members:
            result.existing_members.append(member)
        return member
    key = _folded_name(person)
    if key in members_by_name:
        return members_by_name[key]
    if person.organization_id:
        organization = Organization.objects.get(pk=person.organization_id)
    elif person.new_organization.strip():
        organization = new_organizations.get(person.new_organization)
    else:
        return None
    member = Member.objects.create(
        last_name=person.last_name.strip(),
        first_name=person.first_name.strip(),
        patronymic=person.patronymic.strip(),
        position=person.position.strip(),
        organization=organization,
    )
    result.new_members.append(member)
    members_by_name[key] = member
    return member
