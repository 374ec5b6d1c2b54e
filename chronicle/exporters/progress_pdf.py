"""The report on open decisions as a tagged PDF/A-2a (kernel.pdf), dated the day it is made."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kernel.pdf import cached_pdf

from ..progress import ProgressReport, as_of, progress_title

PROGRESS_TEMPLATE = "pdf/progress.html"
# The report is a Russian document whatever language the reader's interface uses.
DOCUMENT_LANGUAGE = "ru"


def progress_pdf_html(report: ProgressReport) -> str:
    """The print HTML of the report; everything typed in the admin is escaped."""
    with translation.override(DOCUMENT_LANGUAGE):
        context = {
            "club_name": settings.CLUB_NAME,
            # templates/pdf/base.html prints a document's requisites from `meeting`: the day
            # the report is made and its heading.
            "meeting": {"date": report.day, "title": progress_title()},
            "as_of": as_of(report.day),
            "report": report,
        }
        return render_to_string(PROGRESS_TEMPLATE, context)


def progress_pdf(report: ProgressReport) -> tuple[bytes, str]:
    """The PDF of the report and its cache key."""
    return cached_pdf(progress_pdf_html(report))
