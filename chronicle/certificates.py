"""«Справка об участии»: a member's record as the club's letter, numbered in its register,
as a tagged PDF/A-2a and as a Word file with the same sentences."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Pt

from kernel.dates import long_date
from kernel.links import absolute_url
from kernel.pdf import cached_pdf
from kernel.word import (
    document_bytes,
    keep_with_next,
    labelled,
    new_document,
    signature_lines,
    spaced,
    styled,
)
from meetings.models import Meeting
from minutes.printing import signature_name

from .models import Certificate
from .record import MemberRecord

CERTIFICATE_TEMPLATE = "pdf/certificate.html"
# A Russian document whatever language the reader's interface uses, as the minutes are.
DOCUMENT_LANGUAGE = "ru"
# Two requests racing for the year's next number: the loser takes the one after.
ISSUE_ATTEMPTS = 5
# The letter spacing of «СПРАВКА», as print.css spaces the minutes' kind.
HEADING_SPACING_PT = 2


# ---------------------------------------------------------------------------- the register


@transaction.atomic
def certificate_issue(*, record: MemberRecord, user, today=None) -> Certificate:
    """The register entry of the member's certificate today: the one already issued today
    with the same facts (the hash of the sentences it states of her), or a new one with the
    year's next number.

    Asking again on the same day for the same facts (a reload, a bot) writes nothing, so
    the register holds at most one entry per member, day and change of her record. The
    number is the year's highest plus one; two requests that take the same number at once
    meet the unique constraint, and the loser tries again (on SQLite the write lock makes
    them take turns anyway).
    """
    today = today or timezone.localdate()
    facts = certificate_facts(record).digest
    same = Certificate.objects.filter(member=record.member, issued_on=today, facts_hash=facts)
    if (issued := same.first()) is not None:
        return issued
    requester = user if user is not None and user.is_authenticated else None
    for _attempt in range(ISSUE_ATTEMPTS):
        last = Certificate.objects.filter(year=today.year).aggregate(n=Max("number"))["n"]
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    member=record.member,
                    year=today.year,
                    number=(last or 0) + 1,
                    issued_on=today,
                    issued_by=requester,
                    facts_hash=facts,
                )
        except IntegrityError:
            if (issued := same.first()) is not None:
                return issued  # the same certificate, issued by the other request
    raise RuntimeError("No free certificate number after several attempts.")


# ---------------------------------------------------------------------------- the text


@dataclass(frozen=True)
class Part:
    heading: str
    lines: list[str]


@dataclass(frozen=True)
class Facts:
    person: str
    membership: str
    parts: list[Part]

    @property
    def digest(self) -> str:
        lines = [self.person, self.membership]
        for part in self.parts:
            lines += [f"# {part.heading}", *part.lines]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True)
class CertificateText:
    """Every sentence of the certificate, for the PDF's template and the Word file alike."""

    club: str
    kind: str
    subtitle: str
    date: str
    number: str
    title: str
    statement: str
    person: str
    membership: str
    parts: list[Part]
    closing: list[str]
    signatures: list[tuple[str, str]]


def _membership(record: MemberRecord) -> str:
    member = record.member
    if member.status == member.Status.LEFT and member.left_on:
        return _("Membership: has left the Club on %(date)s.") % {"date": long_date(member.left_on)}
    if member.status == member.Status.LEFT:
        return _("Membership: has left the Club.")
    return _("Membership: is a member of the Club.")


def _admission(record: MemberRecord) -> list[str]:
    if (item := record.admission) is not None:
        values = {
            "date": long_date(item.meeting.date),
            "title": item.meeting.title,
            "number": item.number,
            "section": item.get_section_display(),
        }
        return [
            _(
                "The minutes of %(date)s («%(title)s»), item %(number)s of the section "
                "«%(section)s»."
            )
            % values
        ]
    member = record.member
    if member.joined_on:
        return [_("A member of the Club since %(date)s.") % {"date": long_date(member.joined_on)}]
    if member.is_founder:
        return [_("A founder of the Club.")]
    return [_("The published minutes of the Club do not record an admission.")]


def attendance_text(attendance) -> str:
    meeting = attendance.meeting
    values = {"date": long_date(meeting.date), "title": meeting.title, "topic": meeting.topic}
    line = (
        _("%(date)s — %(title)s, topic «%(topic)s»") % values
        if meeting.topic
        else _("%(date)s — %(title)s") % values
    )
    if attendance.role != attendance.Role.PARTICIPANT:
        line = f"{line} ({attendance.get_role_display()})"
    return line


def speech_text(item) -> str:
    values = {"date": long_date(item.meeting.date), "order": item.order, "title": item.title}
    return _("%(date)s — agenda question %(order)s: %(title)s") % values


def item_text(resolution) -> str:
    values = {
        "date": long_date(resolution.meeting.date),
        "number": resolution.number,
        "text": resolution.text,
    }
    return _("Minutes of %(date)s, item %(number)s: %(text)s") % values


def decision_text(resolution) -> str:
    status = resolution.get_status_display()
    if resolution.is_overdue:
        status = _("%(status)s, overdue") % {"status": status}
    return _("%(item)s Status: %(status)s.") % {"item": item_text(resolution), "status": status}


def _signatories() -> list[tuple[str, str]]:
    """The chair and the secretary of the club's latest published meeting sign it."""
    latest = (
        Meeting.objects.published().select_related("chair", "secretary").order_by("-date").first()
    )
    chair, secretary = (latest.chair, latest.secretary) if latest else (None, None)
    return [(_("Chair"), signature_name(chair)), (_("Secretary"), signature_name(secretary))]


def certificate_facts(record: MemberRecord) -> Facts:
    """What the certificate states of her, in the document's language: the sentences whose
    hash tells one register entry from another."""
    with translation.override(DOCUMENT_LANGUAGE):
        member = record.member
        person = ", ".join(
            p
            for p in (member.full_name, member.position, member.organization.display_full_name)
            if p
        )
        parts = [Part(_("Admission to the Club"), _admission(record))]
        parts.append(
            Part(
                _("Meetings of the Club attended (%(count)d)") % {"count": len(record.attended)},
                [attendance_text(a) for a in record.attended]
                or [_("The published minutes record no attendance.")],
            )
        )
        if record.spoke:
            speeches = [speech_text(i) for i in record.spoke]
            parts.append(Part(_("Spoke on the agenda questions"), speeches))
        if record.gratitudes:
            gratitudes = [item_text(r) for r in record.gratitudes]
            parts.append(Part(_("Gratitudes of the Club"), gratitudes))
        if record.decisions:
            decisions = [decision_text(r) for r in record.decisions]
            parts.append(Part(_("Responsible for the decisions"), decisions))
        return Facts(person=person, membership=_membership(record), parts=parts)


def certificate_text(record: MemberRecord, certificate: Certificate) -> CertificateText:
    """The certificate's sentences, in the document's language (call under its override)."""
    member = record.member
    facts = certificate_facts(record)
    number = certificate.register_number
    return CertificateText(
        club=settings.CLUB_NAME,
        kind=_("CERTIFICATE"),
        subtitle=_("of participation in the work of the Club"),
        date=long_date(certificate.issued_on),
        number=_("No. %(number)s") % {"number": number},
        title=_("Certificate of participation No. %(number)s: %(name)s")
        % {"number": number, "name": member.full_name},
        statement=_(
            "This certificate states what the published minutes of the Club record of the "
            "participation in its work of:"
        ),
        person=facts.person,
        membership=facts.membership,
        parts=facts.parts,
        closing=[
            _("The certificate is issued for presentation where required."),
            _(
                "It is entered in the register of certificates under No. %(number)s; the facts "
                "can be checked on the member's page: %(url)s"
            )
            % {"number": number, "url": absolute_url(member.get_absolute_url())},
        ],
        signatures=_signatories(),
    )


# ---------------------------------------------------------------------------- the files


def certificate_pdf(record: MemberRecord, certificate: Certificate) -> tuple[bytes, str]:
    """The PDF and its cache key, to serve as the ETag."""
    with translation.override(DOCUMENT_LANGUAGE):
        html = render_to_string(
            CERTIFICATE_TEMPLATE, {"text": certificate_text(record, certificate)}
        )
    return cached_pdf(html)


def certificate_docx(record: MemberRecord, certificate: Certificate) -> tuple[bytes, str]:
    """The Word file and its content hash, to serve as the ETag: the PDF's sentences."""
    with translation.override(DOCUMENT_LANGUAGE):
        text = certificate_text(record, certificate)
        document = new_document(title=text.title, author=text.club, modified=certificate.issued_at)
        club = styled(document, "Centred")
        club.add_run(text.club).bold = True
        spaced(styled(document, "Heading 1"), text.kind, points=HEADING_SPACING_PT)
        styled(document, "Centred", text.subtitle)
        # ГОСТ Р 7.0.97-2016: the date at the left margin, the number at the right.
        dated = document.add_paragraph()
        section = document.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        dated.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        dated.add_run(f"{text.date}\t{text.number}")
        styled(document, "Body Text Indented", text.statement)
        styled(document, "Body Text Indented").add_run(text.person).bold = True
        styled(document, "Body Text Indented", text.membership)
        for part in text.parts:
            styled(document, "Label", f"{part.heading}:")
            for n, line in enumerate(part.lines, start=1):
                labelled(document, f"{n}.", line)
        last = [styled(document, "Body Text Indented", line) for line in text.closing]
        last[0].paragraph_format.space_before = Pt(12)
        keep_with_next(last)
        signature_lines(document, text.signatures)
        content = document_bytes(document, modified=certificate.issued_at)
    return content, hashlib.sha256(content).hexdigest()
