"""Writes of the minutes as a whole: a set of minutes read by the intake saved as a draft.

One service behind the admin's upload screen and `manage.py import_minutes`: the draft meeting
with its agenda, items, responsible organisations, admissions and (for a .docx) the uploaded
document as its attachment, created in one transaction or not at all. Nothing is published:
the secretary reads the draft and publishes it through meetings.services.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from intake import MinutesDraft, match_draft, parse_minutes, read_upload
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
from meetings.models import AgendaItem, Meeting, MeetingAttachment
from members.models import Member, Organization
from resolutions.models import Resolution
from resolutions.services import admissions_set


@dataclass
class ImportedMinutes:
    """What an import created, for the message or the command's report."""

    meeting: Meeting
    resolutions: list[Resolution] = field(default_factory=list)
    new_organizations: list[Organization] = field(default_factory=list)
    new_members: list[Member] = field(default_factory=list)
    existing_members: list[Member] = field(default_factory=list)


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


def minutes_read(data: bytes) -> tuple[MinutesDraft, DraftMatches]:
    """The draft of an uploaded .txt or .docx and its matches against the database;
    intake.IntakeRejected with the reason in Russian for a document it cannot read."""
    draft = parse_minutes(read_upload(data))
    organizations, members = intake_catalogues()
    return draft, match_draft(draft, organizations, members)


class _Organizations:
    """Organisation mentions turned into records, each new one created once."""

    def __init__(self, matches: DraftMatches, created: list[Organization]):
        self.matches = matches
        self.created = created
        self.by_key: dict[str, Organization] = {}

    def resolve(self, mention) -> list[Organization]:
        if mention is None:
            return []
        found: OrgMatch = self.matches.organisation(mention)
        if found.status == GROUP or mention.group == ALL_LIBRARY_SYSTEMS:
            return list(
                Organization.objects.filter(kind__in=LIBRARY_SYSTEM_KINDS).order_by("short_name")
            )
        if found.status == MATCHED:
            return [Organization.objects.get(pk=found.id)]
        if found.status == AMBIGUOUS and found.candidates:
            # The best candidate first: the review screen lets the secretary choose another.
            return [Organization.objects.get(pk=found.candidates[0])]
        if mention.key not in self.by_key:
            name = (mention.nominative or mention.written).strip()
            organization = Organization.objects.filter(short_name=name).first()
            if organization is None:
                organization = Organization.objects.create(
                    short_name=name, kind=Organization.Kind.OTHER
                )
                self.created.append(organization)
            self.by_key[mention.key] = organization
        return [self.by_key[mention.key]]

    def one(self, mention) -> Organization | None:
        found = self.resolve(mention)
        return found[0] if len(found) == 1 else None


@transaction.atomic
def minutes_import(
    *,
    draft: MinutesDraft,
    matches: DraftMatches,
    document: bytes | None = None,
    document_name: str = "",
) -> ImportedMinutes:
    """Create the draft meeting the intake read: every text as written, the structured
    fields (kinds, dates, names in the nominative, organisations) as it derived them."""
    heading = draft.heading
    if heading.date is None:
        raise ValueError(_("The minutes give no date of the meeting."))
    created: list[Organization] = []
    organizations = _Organizations(matches, created)
    intros = {s.kind: s.intro for s in draft.sections}
    meeting = Meeting(
        title=heading.title or _("Meeting of the Club"),
        topic=heading.topic,
        date=heading.date,
        number=heading.number,
        kind=heading.kind or Meeting.Kind.REGULAR,
        format=heading.format or Meeting.Format.OFFLINE,
        venue=organizations.one(heading.venue),
        address=heading.address,
        preamble=draft.preamble,
        # The phrases as the minutes write them; none where the minutes have no such section.
        resolved_intro=intros.get(RESOLVED, ""),
        decisions_intro=intros.get(DECISIONS, ""),
    )
    meeting.save()
    agenda = {
        question.number: AgendaItem.objects.create(
            meeting=meeting, order=question.number, title=question.title
        )
        for question in draft.agenda
    }
    result = ImportedMinutes(meeting=meeting, new_organizations=created)
    members_by_name: dict[str, Member] = {}
    for section in draft.sections:
        for item in section.items:
            resolution = Resolution.objects.create(
                meeting=meeting,
                section=(
                    Resolution.Section.DECISIONS
                    if section.kind == DECISIONS
                    else Resolution.Section.RESOLVED
                ),
                number=item.number,
                kind=item.kind,
                text=item.text,
                agenda_item=agenda.get(item.agenda_number),
                responsible_person="; ".join(p.name.full_name for p in item.responsible_people),
                due_date=item.due.date if item.due else None,
            )
            responsible = [o for m in item.responsible for o in organizations.resolve(m)]
            if responsible:
                resolution.responsible_organizations.set(responsible)
            admitted = []
            for person in item.admitted:
                member = _member_for(person, matches, organizations, result, members_by_name)
                if member is not None:
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


def _member_for(person, matches, organizations, result, members_by_name) -> Member | None:
    """The member an admission names: the one the catalogue holds, or a new record with her
    name in the nominative and her organisation (none when the minutes name none)."""
    key = person.name.full_name.casefold().replace("ё", "е")
    if key in members_by_name:
        return members_by_name[key]
    found = matches.member(person)
    member = None
    if found.status == MATCHED or (found.status == AMBIGUOUS and found.candidates):
        member = Member.objects.get(pk=found.id if found.status == MATCHED else found.candidates[0])
        result.existing_members.append(member)
    elif found.status == NEW:
        organization = organizations.one(person.organisation)
        if organization is None:
            return None
        member = Member.objects.create(
            last_name=person.name.surname,
            first_name=person.name.first_name,
            patronymic=person.name.patronymic,
            position=person.position,
            organization=organization,
        )
        result.new_members.append(member)
    if member is not None:
        members_by_name[key] = member
    return member
