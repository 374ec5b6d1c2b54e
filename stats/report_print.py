"""One report on paper: the PDF a library keeps in its files of what it handed in.

The rows are read here, the bytes rendered by kernel.pdf (PDF/A, our fonts, a fetcher
that reads nothing but static/pdf) from templates/pdf/report.html.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from kernel.dates import long_date, long_moment
from kernel.pdf import render_pdf

from .exporters import period_label
from .models import Report, ReportTransition
from .selectors import ReportLine, ReportState


@dataclass
class ReportPrint:
    report: Report
    lines: list[ReportLine]
    period: str
    submitted: str
    accepted: str
    printed: str
    # The steps the centre took for the library (entered by phone or on paper).
    on_behalf: list[ReportTransition]


def report_print_data(report: Report) -> ReportPrint:
    """The report's lines with figures and explanations, and its dates as people read them."""
    state = ReportState.of(report)
    return ReportPrint(
        report=report,
        lines=state.lines(),
        period=period_label(report.period.year, report.period.month),
        submitted=long_moment(report.submitted_at) if report.submitted_at else "",
        accepted=long_moment(report.accepted_at) if report.accepted_at else "",
        printed=long_date(timezone.localdate()),
        on_behalf=list(report.transitions.filter(on_behalf=True).select_related("user")),
    )


def report_pdf_html(data: ReportPrint) -> str:
    return render_to_string(
        "pdf/report.html", {"data": data, "report": data.report, "club_name": settings.CLUB_NAME}
    )


def report_pdf_bytes(data: ReportPrint) -> bytes:
    return render_pdf(report_pdf_html(data))
