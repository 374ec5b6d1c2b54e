"""The club's year as a Word file: editable text the regional centre pastes into its annual
report, in the house styles of kernel.word (A4, Russian, page numbers), with the same
sentences as the PDF (chronicle.annual) and tables of real text, not pictures."""

import datetime
import hashlib

from django.conf import settings
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from kernel.dates import long_date
from kernel.word import document_bytes, labelled, new_document, styled

from ..annual import (
    AnnualReport,
    admission_line,
    meeting_line,
    overdue_line,
    report_title,
    summary_sentences,
    uncovered_sentence,
)


def _number(value) -> str:
    return "—" if value is None else formats.number_format(value, force_grouping=True)


def _table(document, header: list[str], rows: list[list[str]], *, numeric_from: int = 1):
    """A plain grid table: the header row repeated on every page, the figures right-aligned."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    head.repeat_header = True  # python-docx ≥ 1.2; harmless before
    for cell, text in zip(head.cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(text)
            if index >= numeric_from:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _numbered(document, lines: list[str]) -> None:
    for number, line in enumerate(lines, 1):
        labelled(document, f"{number}.", line)


def annual_docx(report: AnnualReport) -> tuple[bytes, str]:
    """The .docx of the year and its content hash."""
    # Dated by the day it states: the same bytes all day long for the same content.
    modified = timezone.make_aware(datetime.datetime.combine(report.today, datetime.time()))
    title = report_title(report.year)
    document = new_document(title=title, author=settings.CLUB_NAME, modified=modified)
    club = styled(document, "Centred")
    club.add_run(settings.CLUB_NAME).bold = True
    styled(document, "Heading 1", title)
    styled(document, "Centred", long_date(report.today))
    for sentence in summary_sentences(report):
        styled(document, "Body Text Indented", sentence)

    styled(document, "Heading 2", _("Meetings"))
    if report.meetings:
        _numbered(document, [meeting_line(m) for m in report.meetings])
    else:
        document.add_paragraph(
            _("No minutes of %(year)s have been published.") % {"year": report.year}
        )

    styled(document, "Heading 2", _("Admitted to the Club"))
    if report.admissions:
        _numbered(document, [admission_line(a) for a in report.admissions])
        _table(
            document,
            [_("Municipality"), _("Members admitted")],
            [[t.label, str(t.count)] for t in report.admitted_from],
        )
    else:
        document.add_paragraph(_("Nobody was admitted to the Club this year."))

    styled(document, "Heading 2", _("Resolutions by kind"))
    _table(
        document,
        [_("Kind"), _("Items")],
        [[capfirst(t.label), str(t.count)] for t in report.kinds]
        + [[_("Total"), str(report.resolutions_count)]],
    )

    styled(document, "Heading 2", _("Decisions by status"))
    _table(
        document,
        [_("Status"), _("Decisions")],
        [[capfirst(t.label), str(t.count)] for t in report.statuses]
        + [[_("Total"), str(report.decisions_count)]],
    )
    day = long_date(report.today)
    if report.overdue:
        styled(document, "Label", _("Overdue on %(date)s:") % {"date": day})
        _numbered(document, [overdue_line(r) for r in report.overdue])
    else:
        document.add_paragraph(_("On %(date)s no decision of the year is overdue.") % {"date": day})

    styled(document, "Heading 2", _("Summer %(year)s (June–August)") % {"year": report.year})
    summer = report.summer
    if summer is None:
        document.add_paragraph(
            _("There are no accepted figures for the summer of %(year)s.") % {"year": report.year}
        )
    else:
        if summer.demo:
            document.add_paragraph(
                f"{_('Demonstration data.')} "
                + _(
                    "These figures were made up to show how the dashboard works; they are not "
                    "the libraries' real statistics."
                )
            )
        _table(
            document,
            [_("Indicator"), str(report.year), str(report.year - 1), _("Growth")],
            [
                [
                    str(measure.label),
                    _number(change.value),
                    _number(change.previous),
                    change.growth_text or "—",
                ]
                for measure, change in summer.headline
            ],
        )

    styled(document, "Heading 2", _("Municipalities without a member of the Club"))
    document.add_paragraph(uncovered_sentence(report))
    if report.uncovered:
        document.add_paragraph(", ".join(report.uncovered) + ".")
    content = document_bytes(document, modified=modified)
    return content, hashlib.sha256(content).hexdigest()
