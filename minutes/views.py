"""Public pages of the minutes: the archive, one meeting's minutes, their PDF and workbook,
and the extract of one item."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from kernel.downloads import (
    DOCX,
    PDF,
    XLSX,
    Validators,
    download_response,
    not_modified,
    validated,
)
from kernel.pagecache import (
    PAGE_TIMEOUT,
    cached_public_page,
    content_state,
    content_validators,
    content_version,
)
from kernel.pdf import pdf_cache_key, stored_pdf
from meetings.forms import ArchiveFilterForm
from meetings.models import Meeting
from meetings.selectors import archive_years
from meetings.views import private_unless_published, visible_meeting
from resolutions.views import visible_resolution

from .exporters.docx import minutes_docx
from .exporters.extract import resolution_extract_docx, resolution_extract_pdf
from .exporters.pdf import minutes_pdf, minutes_pdf_html
from .exporters.xlsx import minutes_xlsx
from .selectors import MinutesSize, archive_queryset, minutes_for, minutes_size
from .tasks import TaskResultStatus, enqueue_render, render_result

ARCHIVE_PAGE_SIZE = 20
SLUG_LENGTH = Meeting._meta.get_field("slug").max_length


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


@require_safe
def minutes_pdf_view(request, slug):
    return minutes_file(request, slug, MINUTES_PDF)


@require_safe
def minutes_docx_view(request, slug):
    return minutes_file(request, slug, MINUTES_DOCX)


@dataclass(frozen=True)
class MinutesFile:
    """A file of a meeting's minutes served by `minutes_file()`: how it is made and kept.

    `render(request, meeting, version)` gives (content, key, Last-Modified) or a response to
    answer instead (the PDF's progress page); `stored(key)` the content made before, or None.
    """

    name: str  # of the memo and of the file: minutes-pdf, protokol-<slug>.pdf
    suffix: str
    content_type: str
    render: Callable[[HttpRequest, Meeting, int], tuple[bytes, str, int] | HttpResponse]
    stored: Callable[[str], bytes | None]


def minutes_file(request, slug, kind: MinutesFile) -> HttpResponse:
    """A file of the minutes by the rules every such file shares: a draft's is 404 to the
    public and private to staff; the key is the ETag, the minutes' last edit Last-Modified;
    a repeat download reads nothing but the content version."""
    if len(slug) > SLUG_LENGTH:
        raise Http404  # no meeting has it, and it is too long for a cache key
    version = content_version()
    # While nothing public changed, the key of a meeting's file is remembered: a repeat
    # download neither reads the minutes nor renders them again. Published minutes are
    # anyone's, so their remembered key is served without even reading the meeting (any
    # edit, unpublishing included, changes the content version and so the memo).
    memo_key = f"{kind.name}:{version}:{slug}"
    memo = cache.get(memo_key)
    if memo is not None and memo[2]:
        response = remembered_file(request, slug, memo, kind)
        if response is not None:
            return response
    meeting = visible_meeting(request, slug)
    if memo is not None:
        response = remembered_file(request, slug, memo, kind)
        if response is not None:
            return response
    rendered = kind.render(request, meeting, version)
    if isinstance(rendered, HttpResponse):
        return rendered
    content, key, last_modified = rendered
    memo = (key, last_modified, meeting.is_published)
    cache.set(memo_key, memo, PAGE_TIMEOUT)
    return file_response(request, slug, memo, content, kind)


def rendered_pdf(request, meeting: Meeting, version: int) -> tuple[bytes, str, int] | HttpResponse:
    if renders_long(minutes_size(meeting)):
        # The progress page, until a task has stored the file.
        return rendered_in_background(request, meeting, version)
    minutes = minutes_for(meeting)
    content, key = minutes_pdf(minutes)
    return content, key, int(minutes.last_modified.timestamp())


def rendered_docx(_request, meeting: Meeting, _version: int) -> tuple[bytes, str, int]:
    # A Word file of 200 items takes ~0.2 s (make bench): no background render; the file
    # is kept in the cache under its key, for the remembered key to be served from.
    minutes = minutes_for(meeting)
    content, key = minutes_docx(minutes)
    cache.set(f"minutes-docx-file:{key}", content, PAGE_TIMEOUT)
    return content, key, int(minutes.last_modified.timestamp())


def stored_docx(key: str) -> bytes | None:
    return cache.get(f"minutes-docx-file:{key}")


MINUTES_PDF = MinutesFile("minutes-pdf", ".pdf", PDF, rendered_pdf, stored_pdf)
MINUTES_DOCX = MinutesFile("minutes-docx", ".docx", DOCX, rendered_docx, stored_docx)


def renders_long(size: MinutesSize) -> bool:
    """Whether rendering these minutes would keep the request waiting: many items, or
    much text (a long preamble renders as slowly as many items)."""
    return (
        size.items > settings.PDF_BACKGROUND_THRESHOLD
        or size.characters > settings.PDF_BACKGROUND_CHARACTERS
    )


def file_validators(memo) -> Validators:
    key, last_modified, _published = memo
    changed = datetime.datetime.fromtimestamp(last_modified, datetime.UTC)
    return Validators(etag=f'"{key}"', last_modified=changed)


def patch_private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, max_age=0)
    return response


def remembered_file(request, slug, memo, kind: MinutesFile) -> HttpResponse | None:
    """The remembered file (or 304), or None when its content is gone from where it is kept."""
    _key, _last_modified, published = memo
    if (unchanged := not_modified(request, file_validators(memo))) is not None:
        return unchanged if published else patch_private(unchanged)
    content = kind.stored(memo[0])
    return None if content is None else file_response(request, slug, memo, content, kind)


def file_response(request, slug, memo, content: bytes, kind: MinutesFile) -> HttpResponse:
    _key, _last_modified, published = memo
    validators = file_validators(memo)
    response = not_modified(request, validators)
    if response is None:
        response = download_response(
            content, filename=f"protokol-{slug}{kind.suffix}", content_type=kind.content_type
        )
    response = validated(response, validators)
    return response if published else patch_private(response)


# The progress page reloads itself this often (a meta refresh: the CSP allows no script).
PDF_PROGRESS_REFRESH_SECONDS = 3
# A render still waiting after this long suggests that no worker is running.
PDF_QUEUE_STALE_AFTER = datetime.timedelta(minutes=2)


def rendered_in_background(
    request, meeting: Meeting, version: int
) -> tuple[bytes, str, int] | HttpResponse:
    """The PDF of long minutes as (content, key, Last-Modified) once a task has stored it;
    until then the page that shows the task's progress.

    The task's id is remembered under the content version, so an edit to anything public
    starts a new render and a refresh never enqueues a second one while the first is pending.
    """
    task_key = f"minutes-pdf-task:{version}:{meeting.pk}"
    result = render_result(cache.get(task_key))
    if result is not None:
        if result.status == TaskResultStatus.SUCCESSFUL:
            if (done := finished_pdf(result)) is not None:
                return done
            result = None  # the stored file is gone since (a cleared cache): render it again
        elif result.status == TaskResultStatus.FAILED and "retry" in request.GET:
            result = None
    if result is None:
        # The file may already be stored: rendered by another process, or before the
        # remembered key expired. Rendering the HTML costs little beside the PDF.
        minutes = minutes_for(meeting)
        key = pdf_cache_key(minutes_pdf_html(minutes))
        if (content := stored_pdf(key)) is not None:
            return content, key, int(minutes.last_modified.timestamp())
        result = enqueue_render(meeting.pk)
        cache.set(task_key, result.id, PAGE_TIMEOUT)
        # The immediate backend (debug) has run the task by now.
        if (done := finished_pdf(result)) is not None:
            return done
    if "retry" in request.GET and result.status != TaskResultStatus.FAILED:
        # Refreshes go to the plain address, so that one failure is never retried unasked.
        return redirect("meetings:minutes_pdf", slug=meeting.slug)
    return pdf_progress_page(request, meeting, result)


def finished_pdf(result) -> tuple[bytes, str, int] | None:
    if result.status != TaskResultStatus.SUCCESSFUL:
        return None
    done = result.return_value
    content = stored_pdf(done["key"])
    return None if content is None else (content, done["key"], done["last_modified"])


def accepts_html(request) -> bool:
    """Whether the client names HTML in its Accept header, as browsers do when they navigate.

    wget and curl send «*/*» and save whatever a 2xx response holds under the name in the
    URL: for them a progress page would become a broken minutes.pdf.
    """
    return any(t.main_type == "text" and t.sub_type == "html" for t in request.accepted_types)


def pdf_progress_page(request, meeting: Meeting, result) -> HttpResponse:
    """The page a visitor sees while the PDF is being rendered, or after the render failed.

    Browsers get 202 Accepted and refresh the page until the same address answers with the
    file (a download; the page stays on screen). Other clients get 503 with Retry-After: the
    file is not there yet, and `wget` stores nothing, `curl --retry` waits and asks again.
    A failed render answers 500 with a link to try again.
    """
    failed = result.status == TaskResultStatus.FAILED
    waiting = result.status == TaskResultStatus.READY  # else running
    enqueued_at = result.enqueued_at
    context = {
        "meeting": meeting,
        "failed": failed,
        "waiting": waiting,
        "stalled": waiting
        and enqueued_at is not None
        and timezone.now() - enqueued_at > PDF_QUEUE_STALE_AFTER,
        "refresh_seconds": PDF_PROGRESS_REFRESH_SECONDS,
    }
    if failed:
        status = 500
    elif accepts_html(request):
        status = 202
    else:
        status = 503
    response = render(request, "meetings/pdf_progress.html", context, status=status)
    if status == 503:
        response["Retry-After"] = str(PDF_PROGRESS_REFRESH_SECONDS)
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def minutes_xlsx_view(request, slug):
    meeting = visible_meeting(request, slug)
    validators = content_validators(request)
    if (unchanged := not_modified(request, validators)) is not None:
        return private_unless_published(unchanged, meeting)
    content = minutes_xlsx(minutes_for(meeting))
    response = download_response(
        content, filename=f"protokol-{meeting.slug}.xlsx", content_type=XLSX
    )
    return private_unless_published(validated(response, validators), meeting)


@require_safe
def extract_pdf(request, pk):
    return extract_file(request, pk, resolution_extract_pdf, suffix=".pdf", content_type=PDF)


@require_safe
def extract_docx(request, pk):
    return extract_file(request, pk, resolution_extract_docx, suffix=".docx", content_type=DOCX)


def extract_file(request, pk, write, *, suffix: str, content_type: str) -> HttpResponse:
    """The extract of one item by `write(item, minutes) -> (content, key)`: a draft's is 404
    to the public and private to staff, the key is the ETag."""
    resolution = visible_resolution(request, pk)
    minutes = minutes_for(resolution.meeting)
    item = next(r for r in minutes.resolutions if r.pk == resolution.pk)
    content, key = write(item, minutes)
    meeting = resolution.meeting
    # The content's time, not the minutes' own: the extract names organisations too.
    validators = Validators(etag=f'"{key}"', last_modified=content_state().changed_at)
    if (unchanged := not_modified(request, validators)) is not None:
        return private_unless_published(unchanged, meeting)
    filename = f"vypiska-{meeting.slug}-{resolution.section}-{resolution.number}{suffix}"
    response = download_response(content, filename=filename, content_type=content_type)
    return private_unless_published(validated(response, validators), meeting)
