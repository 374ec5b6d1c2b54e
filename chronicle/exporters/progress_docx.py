"""The report on open decisions as a Word file (kernel.word), dated the day it is made: the
PDF's content (templates/pdf/progress.html) from the same catalogue entries."""

import datetime
import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx.shared import Pt

from kernel.dates import long_date
from kernel.word import add_text, document_bytes, keep_with_next, new_document, spaced, styled

from ..progress import OpenDecision, ProgressReport, as_of, progress_title
from .progress_pdf import DOCUMENT_LANGUAGE

# The letter spacing of the document's kind, as print.css has it for the PDF.
HEADING_SPACING_PT = 2


def progress_docx(report: ProgressReport, *, modified: datetime.datetime) -> tuple[bytes, str]:
    """The .docx of the report and its content hash; `modified` dates the file's entries."""
    with translation.override(DOCUMENT_LANGUAGE):
        title = progress_title()
        document = new_document(
            title=f"{title} {as_of(report.day)}", author=settings.CLUB_NAME, modified=modified
        )
        club = styled(document, "Centred")
        club.add_run(settings.CLUB_NAME).bold = True
        spaced(styled(document, "Heading 1"), _("REPORT"), points=HEADING_SPACING_PT)
        document.add_paragraph(long_date(report.day))
        heading = document.add_paragraph()
        heading.paragraph_format.keep_with_next = True
        heading.add_run(title).bold = True
        lead = document.add_paragraph()
        lead.add_run(f"{capfirst(as_of(report.day))}: {report.summary}").bold = True
        lead.paragraph_format.space_after = Pt(12)
        for group in report.meetings:
            meeting = group.meeting
            name = _("Meeting of %(date)s: %(title)s") % {
                "date": long_date(meeting.date),
                "title": meeting.title,
            }
            if not meeting.is_published:
                name = f"{name} ({_('draft')})"
            styled(document, "Heading 2", name)
            for decision in group.decisions:
                write_decision(document, decision)
    content = document_bytes(document, modified=modified)
    return content, hashlib.sha256(content).hexdigest()


def write_decision(document, decision: OpenDecision) -> None:
    """One decision: where it stands in the minutes, its text, then its notes, kept together."""
    item = decision.resolution
    where = _("item %(number)s") % {"number": item.number}
    written = [styled(document, "Label", f"{item.get_section_display()}, {where}")]
    written.append(add_text(styled(document, "Body Text Indented"), item.text))
    for line in decision_notes(decision):
        written.append(add_text(styled(document, "Note"), line))
    keep_with_next(written[:-1])


def decision_notes(decision: OpenDecision) -> list[str]:
    item = decision.resolution
    if item.due_date:
        due = long_date(item.due_date)
        if decision.overdue:
            due = f"{due} — {_('overdue')}"
    else:
        due = _("not set")
    notes = [f"{_('Due date:')} {due}"]
    responsible = decision.responsible
    if responsible.organizations:
        notes.append(f"{_('Responsible organisations:')} {', '.join(responsible.organizations)}")
    if responsible.person:
        notes.append(f"{_('Responsible person:')} {responsible.person}")
    if decision.progress:
        heading = _("Progress:")
        if decision.earlier_progress:
            earlier = ngettext(
                "(the latest entries; %(counter)s earlier one on the decision's page)",
                "(the latest entries; %(counter)s earlier ones on the decision's page)",
                decision.earlier_progress,
            ) % {"counter": decision.earlier_progress}
            heading = f"{heading} {earlier}"
        notes.append(heading)
        for entry in decision.progress:
            line = f"{long_date(entry.date)}: {entry.text}"
            if entry.new_status:
                status = _("status: %(status)s") % {"status": entry.get_new_status_display()}
                line = f"{line} ({status})"
            notes.append(line)
    else:
        notes.append(_("No progress has been recorded yet."))
    if decision.figure_lines:
        notes.append(_("Latest figures of the indicators it aims to move:"))
        notes.extend(decision.figure_lines)
    return notes
