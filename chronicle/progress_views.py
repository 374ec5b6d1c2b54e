"""The report on open decisions: the page /resolutions/progress/ and its PDF and Word file."""

import datetime

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from kernel.downloads import DOCX, PDF, download_response, not_modified, validated
from kernel.pagecache import cached_public_page, content_validators

from .exporters.progress_docx import progress_docx
from .exporters.progress_pdf import progress_pdf
from .progress import ProgressReport, as_of, progress_report, progress_title


def report_for(request) -> ProgressReport:
    return progress_report(request.user)


@require_safe
@cached_public_page(daily=True)
def progress_page(request):
    # The public's copy is the day's: the overdue flags change at midnight, not with an edit.
    report = report_for(request)
    response = render(
        request,
        "chronicle/progress/page.html",
        {"report": report, "title": progress_title(), "as_of": as_of(report.day)},
    )
    return private_for_staff(request, response)


@require_safe
def progress_pdf_view(request):
    return progress_file(request, suffix=".pdf")


@require_safe
def progress_docx_view(request):
    return progress_file(request, suffix=".docx")


def progress_file(request, *, suffix: str):
    """The report as a file of the day: its validators from the content version and the date
    (kernel.pagecache), so that a repeat download is a 304 before anything is read."""
    validators = content_validators(request, daily=True)
    if (unchanged := not_modified(request, validators)) is not None:
        return private_for_staff(request, unchanged)
    report = report_for(request)
    if suffix == ".pdf":
        content, _key = progress_pdf(report)
        content_type = PDF
    else:
        content, _key = progress_docx(report, modified=file_moment(validators.last_modified))
        content_type = DOCX
    filename = f"hod-vypolneniya-resheniy-{report.day.isoformat()}{suffix}"
    response = download_response(content, filename=filename, content_type=content_type)
    return private_for_staff(request, validated(response, validators))


def file_moment(last_modified: datetime.datetime | None) -> datetime.datetime:
    """The moment a file's entries are dated by, in the portal's time zone."""
    return timezone.localtime(last_modified or timezone.now())


def private_for_staff(request, response):
    # Staff see the drafts' decisions too: their copy is never kept by a shared cache.
    if request.user.is_authenticated and request.user.is_staff:
        patch_cache_control(response, private=True, max_age=0)
    return response
