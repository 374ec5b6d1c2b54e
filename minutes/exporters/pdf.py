"""The minutes of a meeting as an archival PDF (tagged PDF/A-2a, A4, after ГОСТ Р 7.0.97-2016)."""

from django.template.loader import render_to_string
from django.utils import translation

from kernel.pdf import cached_pdf

from ..printing import paragraphs, print_context
from ..selectors import Minutes

MINUTES_TEMPLATE = "pdf/minutes.html"
# The minutes are a Russian document whatever language the reader's interface uses.
DOCUMENT_LANGUAGE = "ru"


def minutes_pdf_html(minutes: Minutes) -> str:
    """The print HTML of the whole minutes; everything typed in the admin is escaped."""
    context = {
        **print_context(minutes.meeting),
        "minutes": minutes,
        "preamble": paragraphs(minutes.meeting.preamble),
    }
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(MINUTES_TEMPLATE, context)


def minutes_pdf(minutes: Minutes) -> tuple[bytes, str]:
    """The PDF of the minutes and its cache key, to serve as the ETag."""
    return cached_pdf(minutes_pdf_html(minutes))
