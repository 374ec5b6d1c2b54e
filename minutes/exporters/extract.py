"""An extract of one item of the minutes («выписка из протокола») as a tagged PDF/A-2a and
as a Word file."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from docx.shared import Pt

from kernel.pdf import cached_pdf
from kernel.word import document_bytes, keep_with_next, new_document, signature_lines, styled
from resolutions.models import Resolution

from ..printing import extract_title, print_context
from ..selectors import Minutes, MinutesSection
from .docx import admitted, document_head, hashed, signatures, write_section

EXTRACT_TEMPLATE = "pdf/resolution_extract.html"
# The extract is a Russian document whatever language the reader's interface uses.
DOCUMENT_LANGUAGE = "ru"


def extract_item(resolution: Resolution, minutes: Minutes) -> tuple[MinutesSection, Resolution]:
    """The item's section and its copy in the minutes (which carries the prefetched
    organisations and admissions); ValueError for an item of other minutes."""
    if resolution.meeting_id != minutes.meeting.pk:
        raise ValueError("The resolution does not belong to these minutes.")
    section = next((s for s in minutes.sections if s.value == resolution.section), None)
    item = next((r for r in minutes.resolutions if r.pk == resolution.pk), None)
    if section is None or item is None:
        raise ValueError("The resolution is not among the items of these minutes.")
    return section, item


def resolution_extract_html(resolution: Resolution, minutes: Minutes) -> str:
    """The print HTML of one item with its section's intro, from the minutes it belongs to."""
    section, item = extract_item(resolution, minutes)
    context = {
        **print_context(minutes.meeting),
        "section": section,
        "item": item,
        "admitted": [a for a in minutes.admitted if a.resolution_id == item.pk],
    }
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(EXTRACT_TEMPLATE, context)


def resolution_extract_pdf(resolution: Resolution, minutes: Minutes) -> tuple[bytes, str]:
    """The PDF of the extract and its cache key, to serve as the ETag."""
    return cached_pdf(resolution_extract_html(resolution, minutes))


def resolution_extract_docx(resolution: Resolution, minutes: Minutes) -> tuple[bytes, str]:
    """The extract as a Word file and its content hash, to serve as the ETag: the same
    content as the PDF's, with the secretary's «Выписка верна» under the signatures."""
    section, item = extract_item(resolution, minutes)
    meeting = minutes.meeting
    with translation.override(DOCUMENT_LANGUAGE):
        document = new_document(
            title=extract_title(meeting, item.number),
            author=print_context(meeting)["club_name"],
            modified=minutes.last_modified,
        )
        document_head(document, meeting, _("EXTRACT FROM THE MINUTES"))
        last = write_section(document, section, [item])
        admissions = [a for a in minutes.admitted if a.resolution_id == item.pk]
        if admissions:
            last.append(admitted(document, admissions))
        keep_with_next(last)
        keep_with_next(signatures(document, meeting))
        certified = styled(document, "Signature", _("True extract"))
        certified.paragraph_format.space_before = Pt(24)
        signature_lines(document, [(_("Secretary"), print_context(meeting)["secretary_signature"])])
    return hashed(document_bytes(document, modified=minutes.last_modified))
