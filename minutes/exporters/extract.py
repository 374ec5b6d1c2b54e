"""An extract of one item of the minutes («выписка из протокола») as a tagged PDF/A-2a."""

from django.template.loader import render_to_string
from django.utils import translation

from kernel.pdf import cached_pdf
from resolutions.models import Resolution

from ..printing import print_context
from ..selectors import Minutes

EXTRACT_TEMPLATE = "pdf/resolution_extract.html"
# The extract is a Russian document whatever language the reader's interface uses.
DOCUMENT_LANGUAGE = "ru"


def resolution_extract_html(resolution: Resolution, minutes: Minutes) -> str:
    """The print HTML of one item with its section's intro, from the minutes it belongs to."""
    if resolution.meeting_id != minutes.meeting.pk:
        raise ValueError("The resolution does not belong to these minutes.")
    section = next((s for s in minutes.sections if s.value == resolution.section), None)
    # The copy in the minutes carries the prefetched organisations and admissions.
    item = next((r for r in minutes.resolutions if r.pk == resolution.pk), None)
    if section is None or item is None:
        raise ValueError("The resolution is not among the items of these minutes.")
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
