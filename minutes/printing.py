"""What every print layout of a meeting shares: the club, the signatures, typed paragraphs."""

import re

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kernel.dates import long_date
from meetings.models import Meeting
from members.models import Member


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a text typed in the admin: each non-empty line is one paragraph."""
    return [line.strip() for line in re.split(r"\r?\n|\r", text or "") if line.strip()]


def signature_name(member: Member | None) -> str:
    """«И.О. Фамилия», the form a name takes beside a signature; "" when nobody is entered."""
    if member is None:
        return ""
    initials = "".join(f"{part[0]}." for part in (member.first_name, member.patronymic) if part)
    return f"{initials} {member.last_name}".strip()


def print_context(meeting: Meeting) -> dict:
    """What every print layout of a meeting needs besides its own content."""
    return {
        "club_name": settings.CLUB_NAME,
        "meeting": meeting,
        "chair_signature": signature_name(meeting.chair),
        "secretary_signature": signature_name(meeting.secretary),
    }


# What the Word files compose in Python and the PDF layouts in their templates
# (templates/pdf/): the same sentences, from the same catalogue entries.


def document_title(meeting: Meeting) -> str:
    """The minutes' title as their metadata names them (the PDF's <title>)."""
    values = {"date": long_date(meeting.date), "title": meeting.title, "number": meeting.number}
    if meeting.number:
        return _("Minutes No. %(number)s of %(date)s: %(title)s") % values
    return _("Minutes of %(date)s: %(title)s") % values


def extract_title(meeting: Meeting, number) -> str:
    """The title of the extract of one item (the extract PDF's <title>)."""
    values = {"date": long_date(meeting.date), "number": number, "title": meeting.title}
    return _("Extract from the minutes of %(date)s, item %(number)s: %(title)s") % values


def format_line(meeting: Meeting) -> str:
    """The meeting's kind, its format and the address, always printed: «очно» says where
    the participants were even when no address is entered."""
    values = {
        "kind": capfirst(meeting.get_kind_display()),
        "format": meeting.get_format_display(),
        "address": meeting.address,
    }
    if meeting.kind == Meeting.Kind.OTHER:
        values["kind"] = _("Meeting")
    if meeting.address:
        return _("%(kind)s, %(format)s: %(address)s") % values
    return _("%(kind)s, %(format)s") % values


def person_line(member: Member) -> str:
    """«Фамилия Имя Отчество (организация)»: a member named in the minutes."""
    if member.organization_id:
        return f"{member.full_name} ({member.organization})"
    return member.full_name


def attendance_line(attendance) -> str:
    """One person present, with her organisation and, unless a participant, her role."""
    line = attendance.display_name
    if organization := attendance.display_organization:
        line = f"{line} ({organization})"
    if attendance.role != attendance.Role.PARTICIPANT:
        line = f"{line} — {attendance.get_role_display()}"
    return line


def agenda_line(item) -> str:
    """An agenda item's title with its speakers."""
    if item.speakers:
        speakers = _("speakers: %(speakers)s") % {"speakers": item.speakers}
        return f"{item.title} ({speakers})"
    return item.title


def item_notes(item) -> list[str]:
    """Who answers for an item and by when, a line each."""
    responsible = item.responsible
    notes = []
    if responsible.organizations:
        organizations = ", ".join(responsible.organizations)
        notes.append(f"{_('Responsible organisations:')} {organizations}")
    if responsible.person:
        notes.append(f"{_('Responsible person:')} {responsible.person}")
    if item.due_date:
        notes.append(f"{_('Due date:')} {long_date(item.due_date)}")
    return notes


def admitted_line(admitted) -> str:
    """Who the minutes (or one item) admit, with their organisations, as one sentence."""
    people = ", ".join(f"{a.member.full_name} ({a.member.organization})" for a in admitted)
    return f"{people}."
