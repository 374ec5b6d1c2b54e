"""The club's year as an archival PDF (tagged PDF/A-2a through kernel.pdf), for the regional
centre's annual report; the layout is templates/pdf/annual.html."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kernel.pdf import cached_pdf
from stats.region_figures import GROWTH_KEYS

from ..annual import (
    AnnualReport,
    admission_line,
    meeting_line,
    overdue_line,
    report_title,
    summary_sentences,
    uncovered_sentence,
)

ANNUAL_TEMPLATE = "pdf/annual.html"
# A Russian document whatever language the reader's interface uses.
DOCUMENT_LANGUAGE = "ru"


def annual_pdf_html(report: AnnualReport) -> str:
    """The print HTML of the year; everything typed in the admin is escaped."""
    with translation.override(DOCUMENT_LANGUAGE):
        context = {
            "club_name": settings.CLUB_NAME,
            # templates/pdf/base.html prints a document's requisites from `meeting`: the day
            # the report states the decisions' statuses on, and its heading.
            "meeting": {"date": report.today, "title": report_title(report.year)},
            "report": report,
            "summary": summary_sentences(report),
            "meeting_lines": [meeting_line(m) for m in report.meetings],
            "admission_lines": [admission_line(a) for a in report.admissions],
            "overdue_lines": [overdue_line(r) for r in report.overdue],
            "uncovered_sentence": uncovered_sentence(report),
            "growth_keys": GROWTH_KEYS,
        }
        return render_to_string(ANNUAL_TEMPLATE, context)


def annual_pdf(report: AnnualReport) -> tuple[bytes, str]:
    """The PDF of the year and its cache key."""
    return cached_pdf(annual_pdf_html(report))
