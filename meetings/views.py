"""The meeting's own public files: its attachments and calendar entries.

The pages and files that compose a meeting with its resolutions (the archive, the minutes,
their PDF and workbook) are in the minutes app.
"""

import mimetypes
from pathlib import PurePath

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from kernel.downloads import OCTET_STREAM, not_modified, stored_file_response, validated
from kernel.pagecache import content_validators

from . import calendar as meeting_calendar
from .models import Meeting
from .selectors import meeting_queryset


def visible_meeting(request, slug) -> Meeting:
    """The meeting, or 404 when it is a draft and the visitor is not staff."""
    return get_object_or_404(meeting_queryset().visible_to(request.user), slug=slug)


def private_unless_published(response: HttpResponse, meeting: Meeting) -> HttpResponse:
    """A draft's file is staff's only: no shared cache (a proxy, a CDN) may keep a copy."""
    if not meeting.is_published:
        patch_cache_control(response, private=True, max_age=0)
    return response


@require_safe
def attachment(request, slug, pk):
    meeting = visible_meeting(request, slug)
    item = get_object_or_404(meeting.attachments, pk=pk)
    if not item.file or not item.file.storage.exists(item.file.name):
        raise Http404
    validators = content_validators(request)
    if (unchanged := not_modified(request, validators)) is not None:
        return private_unless_published(unchanged, meeting)
    suffix = PurePath(item.file.name).suffix
    content_type = mimetypes.guess_type(item.file.name)[0] or OCTET_STREAM
    response = stored_file_response(
        item.file.open("rb"), filename=f"{item.title}{suffix}", content_type=content_type
    )
    return private_unless_published(validated(response, validators), meeting)


@require_safe
def calendar_all(request):
    validators = content_validators(request)
    if (unchanged := not_modified(request, validators)) is not None:
        return unchanged
    meetings = Meeting.objects.published().select_related("venue").order_by("date")
    return meeting_calendar.ics_response(request, meetings, "club-meetings.ics", validators)


@require_safe
def calendar_one(request, slug):
    meeting = visible_meeting(request, slug)
    validators = content_validators(request)
    if (unchanged := not_modified(request, validators)) is not None:
        return private_unless_published(unchanged, meeting)
    response = meeting_calendar.ics_response(
        request, [meeting], f"meeting-{meeting.slug}.ics", validators
    )
    return private_unless_published(response, meeting)
