"""The minutes of a meeting as a Word file (.docx), for the paper copy the secretary signs.

The same content as the minutes PDF (minutes/exporters/pdf.py), composed from the same
sentences (minutes/printing.py), with the same layout rules as far as Word has them: the
heading letter-spaced by a character property, every item a labelled paragraph with its
number as the minutes have it, the signatures kept on the page of the last item.
"""

import hashlib

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Pt

from kernel.dates import long_date
from kernel.word import (
    add_text,
    document_bytes,
    keep_with_next,
    labelled,
    new_document,
    signature_lines,
    spaced,
    styled,
)
from meetings.models import Meeting

from ..printing import (
    admitted_line,
    agenda_line,
    attendance_line,
    document_title,
    format_line,
    item_notes,
    paragraphs,
    person_line,
    print_context,
)
from ..selectors import Minutes
from .pdf import DOCUMENT_LANGUAGE

# The letter spacing of «ПРОТОКОЛ», as the PDF's print.css has it.
HEADING_SPACING_PT = 2


def minutes_docx(minutes: Minutes) -> tuple[bytes, str]:
    """The .docx of the minutes and its content hash, to serve as the ETag."""
    meeting = minutes.meeting
    with translation.override(DOCUMENT_LANGUAGE):
        document = new_document(
            title=document_title(meeting),
            author=print_context(meeting)["club_name"],
            modified=minutes.last_modified,
        )
        document_head(document, meeting, _("MINUTES"))
        minutes_body(document, minutes)
        signatures(document, meeting)
    return hashed(document_bytes(document, modified=minutes.last_modified))


def hashed(content: bytes) -> tuple[bytes, str]:
    return content, hashlib.sha256(content).hexdigest()


def document_head(document, meeting: Meeting, kind: str) -> None:
    """The club, the host, the document's kind, date and number, the format line, the title."""
    context = print_context(meeting)
    club = styled(document, "Centred")
    club.add_run(context["club_name"]).bold = True
    if meeting.venue:
        styled(document, "Centred", meeting.venue.display_full_name)
    spaced(styled(document, "Heading 1"), kind, points=HEADING_SPACING_PT)
    # ГОСТ Р 7.0.97-2016: the date at the left margin, the number at the right.
    dated = document.add_paragraph()
    dated.paragraph_format.tab_stops.add_tab_stop(text_width(document), WD_TAB_ALIGNMENT.RIGHT)
    dated.add_run(long_date(meeting.date))
    if meeting.number:
        dated.add_run("\t" + _("No. %(number)s") % {"number": meeting.number})
    place = styled(document, "Centred", format_line(meeting))
    place.paragraph_format.space_after = Pt(12)
    title = document.add_paragraph()
    title.paragraph_format.keep_with_next = True
    title.add_run(meeting.title).bold = True
    if meeting.topic:
        topic = document.add_paragraph()
        topic.add_run(_("Topic: “%(topic)s”") % {"topic": meeting.topic}).bold = True


def text_width(document):
    section = document.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def labelled_line(document, label: str, text: str):
    """«Председатель: …»: a bold label and its text in one paragraph."""
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    paragraph.add_run(f" {text}")
    return paragraph


def minutes_body(document, minutes: Minutes) -> None:
    """Everything between the title and the signatures, in the order of the PDF."""
    meeting = minutes.meeting
    last = []  # the paragraphs the signatures keep company with
    if meeting.chair:
        last = [labelled_line(document, _("Chair:"), person_line(meeting.chair))]
    if meeting.secretary:
        last = [labelled_line(document, _("Secretary:"), person_line(meeting.secretary))]
    if minutes.attendances:
        count = minutes.attendance_count
        present = ngettext("Present: %(counter)s person", "Present: %(counter)s people", count) % {
            "counter": count
        }
        styled(document, "Label", present)
        for number, attendance in enumerate(minutes.attendances, 1):
            last = [labelled(document, f"{number}.", attendance_line(attendance))]
    if minutes.agenda:
        styled(document, "Label", _("Agenda:"))
        for number, item in enumerate(minutes.agenda, 1):
            last = [labelled(document, f"{number}.", agenda_line(item))]
            if item.summary:
                last.append(add_text(styled(document, "Note"), item.summary))
    for paragraph in paragraphs(meeting.preamble):
        last = [styled(document, "Body Text Indented", paragraph)]
    for section in minutes.sections:
        last = write_section(document, section, section.items)
    if minutes.admitted:
        last.append(admitted(document, minutes.admitted))
    # The last item with its notes, and who the minutes admit, stay on the page of the
    # signatures: the block to sign never stands alone on a page.
    keep_with_next(last)


def write_section(document, section, items) -> list:
    """A section's block heading («ПОСТАНОВИЛИ:», as the PDF's), the typed phrase under it
    where it is not the heading, and its items, each under its number as written; returns
    the paragraphs of the last item."""
    words, verb = section.document_heading
    heading = styled(document, "Body Text Indented", words)
    heading.add_run(verb).bold = True
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_before = Pt(8)
    if section.document_lead:
        lead = styled(document, "Body Text Indented", section.document_lead)
        lead.paragraph_format.keep_with_next = True
    written = []
    for item in items:
        written = [labelled(document, f"{item.number}.", item.text)]
        written += [styled(document, "Note", note) for note in item_notes(item)]
        # An item keeps with its notes, so that nobody reads a task without its deadline.
        keep_with_next(written[:-1])
    return written


def admitted(document, admissions):
    return labelled_line(document, _("Admitted to the Club:"), admitted_line(admissions))


def signatures(document, meeting: Meeting):
    """The chair's and the secretary's lines to sign, named «И.О. Фамилия» where entered."""
    context = print_context(meeting)
    return signature_lines(
        document,
        [
            (_("Chair"), context["chair_signature"]),
            (_("Secretary"), context["secretary_signature"]),
        ],
    )
