"""Public pages of the meeting archive and the minutes as files."""

import mimetypes
from pathlib import PurePath

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from clubportal.pagecache import PAGE_TIMEOUT, cached_public_page, content_version
from clubportal.pdf import stored_pdf

from . import calendar as meeting_calendar
from .exporters.pdf import minutes_pdf
from .exporters.xlsx import minutes_xlsx
from .forms import ArchiveFilterForm
from .models import Meeting
from .selectors import archive_queryset, archive_years, meeting_queryset, minutes_for

ARCHIVE_PAGE_SIZE = 20
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_meeting(request, slug) -> Meeting:
    """The meeting, or 404 when it is a draft and the visitor is not staff."""
    return get_object_or_404(meeting_queryset().visible_to(request.user), slug=slug)


@require_safe
@cached_public_page
def archive(request):
    years = archive_years(request.user)
    form = ArchiveFilterForm(request.GET or None, years=years)
    filters = form.filters() if request.GET else {}
    meetings = archive_queryset(request.user, **filters)
    page = Paginator(meetings, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/archive.html",
        {"form": form, "page": page, "filtered": any(filters.values()) if filters else False},
    )


@require_safe
@cached_public_page
def detail(request, slug):
    meeting = visible_meeting(request, slug)
    return render(request, "meetings/detail.html", {"minutes": minutes_for(meeting)})


def file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def minutes_pdf_view(request, slug):
    meeting = visible_meeting(request, slug)
    # While nothing public changed, the key of this meeting's PDF is remembered: a repeat
    # download neither reads the minutes nor renders their HTML again.
    memo_key = f"minutes-pdf:{content_version()}:{meeting.pk}"
    memo = cache.get(memo_key)
    content = None
    if memo is not None:
        key, last_modified = memo
        etag = f'"{key}"'
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return not_modified
        content = stored_pdf(key)
    if content is None:
        minutes = minutes_for(meeting)
        content, key = minutes_pdf(minutes)
        last_modified = int(minutes.last_modified.timestamp())
        cache.set(memo_key, (key, last_modified), PAGE_TIMEOUT)
        etag = f'"{key}"'
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return not_modified
    response = file_response(content, PDF, f"protokol-{meeting.slug}.pdf")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, private=not meeting.is_published, max_age=0)
    return response


@require_safe
def minutes_xlsx_view(request, slug):
    meeting = visible_meeting(request, slug)
    content = minutes_xlsx(minutes_for(meeting))
    return file_response(content, XLSX, f"protokol-{meeting.slug}.xlsx")


@require_safe
def attachment(request, slug, pk):
    meeting = visible_meeting(request, slug)
    item = get_object_or_404(meeting.attachments, pk=pk)
    if not item.file or not item.file.storage.exists(item.file.name):
        raise Http404
    suffix = PurePath(item.file.name).suffix
    content_type = mimetypes.guess_type(item.file.name)[0] or "application/octet-stream"
    response = FileResponse(
        item.file.open("rb"),
        content_type=content_type,
        as_attachment=True,
        filename=f"{item.title}{suffix}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def calendar_all(request):
    meetings = Meeting.objects.published().select_related("venue").order_by("date")
    return meeting_calendar.ics_response(meetings, "club-meetings.ics")


@require_safe
def calendar_one(request, slug):
    meeting = visible_meeting(request, slug)
    return meeting_calendar.ics_response([meeting], f"meeting-{meeting.slug}.ics")
