"""What every print layout of a meeting shares: the club, the signatures, typed paragraphs."""

import re

from django.conf import settings

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
