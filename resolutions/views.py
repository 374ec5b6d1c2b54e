"""Public pages of resolutions: the list with filters, its export, one item and its extract."""

from pathlib import PurePath

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from kernel.downloads import (
    OCTET_STREAM,
    XLSX,
    download_response,
    not_modified,
    stored_file_response,
    validated,
)
from kernel.pagecache import cached_public_page, content_validators
from kernel.uploads import sniff
from meetings.models import Meeting

from .exporters.xlsx import resolutions_xlsx
from .forms_public import ResolutionFilterForm
from .models import Resolution, ResolutionProgress
from .panels import panels_for
from .selectors import published_resolutions, resolution_years, with_listing_relations

PAGE_SIZE = 50
# Who may download the evidence files of progress entries (README, «Who may do what»).
EVIDENCE_PERMISSION = "resolutions.view_resolutionprogress"


def _filtered(request):
    form = ResolutionFilterForm(request.GET or None, years=resolution_years())
    return form, published_resolutions(**form.filters())


@require_safe
@cached_public_page
def resolution_list(request):
    form, resolutions = _filtered(request)
    page = Paginator(with_listing_relations(resolutions), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "resolutions/list.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )


@require_safe
def export(request):
    # Overdue is judged against today, and the file is named by the day: a new day, a new file.
    validators = content_validators(request, daily=True)
    if (unchanged := not_modified(request, validators)) is not None:
        return unchanged
    _form, resolutions = _filtered(request)
    content = resolutions_xlsx(resolutions)
    stamp = timezone.localdate().isoformat()
    response = download_response(content, filename=f"resheniya-{stamp}.xlsx", content_type=XLSX)
    return validated(response, validators)


def visible_resolution(request, pk) -> Resolution:
    meetings = Meeting.objects.visible_to(request.user)
    return get_object_or_404(
        Resolution.objects.select_related("meeting__venue", "agenda_item").filter(
            meeting__in=meetings
        ),
        pk=pk,
    )


@require_safe
@cached_public_page
def detail(request, pk):
    resolution = visible_resolution(request, pk)
    progress = resolution.progress_entries.order_by("date", "pk")
    admitted = resolution.admissions.select_related("member__organization__municipality")
    return render(
        request,
        "resolutions/detail.html",
        {
            "resolution": resolution,
            "meeting": resolution.meeting,
            "progress": progress,
            "may_download_evidence": request.user.has_perm(EVIDENCE_PERMISSION),
            "admitted": admitted,
            # What higher apps add to the page (stats: the figures the item aims to move).
            "panels": panels_for(resolution),
        },
    )


@require_safe
@login_required
@permission_required(EVIDENCE_PERMISSION, raise_exception=True)
def evidence(request, pk, entry_pk):
    """The supporting file of a progress entry: staff's working papers, never public.

    Judged by its content (as attachments are), sent as a download that browsers do not
    sniff, never kept by a shared cache; a draft's stays hidden from those who cannot see it.
    """
    meetings = Meeting.objects.visible_to(request.user)
    entry = get_object_or_404(
        ResolutionProgress.objects.select_related("resolution__meeting").filter(
            resolution__meeting__in=meetings
        ),
        pk=entry_pk,
    )
    # Compared here, not in the query: Django lets an out-of-range value through a foreign
    # key's lookup (an id of 10^23 overflows SQLite's integer: a 500), unlike a primary key's.
    if entry.resolution_id != pk:
        raise Http404
    if not entry.evidence or not entry.evidence.storage.exists(entry.evidence.name):
        raise Http404
    validators = content_validators(request)
    if (unchanged := not_modified(request, validators)) is not None:
        patch_cache_control(unchanged, private=True, max_age=0)
        return unchanged
    file = entry.evidence.open("rb")
    # What the bytes are, not what the name says; anything else goes as opaque bytes.
    extension, content_type = sniff(file) or (
        PurePath(entry.evidence.name).suffix.lstrip(".") or "bin",
        OCTET_STREAM,
    )
    resolution = entry.resolution
    filename = (
        f"podtverzhdenie-{resolution.meeting.slug}-{resolution.section}-{resolution.number}"
        f"-{entry.date:%Y-%m-%d}.{extension}"
    )
    response = stored_file_response(file, filename=filename, content_type=content_type)
    patch_cache_control(validated(response, validators), private=True, max_age=0)
    return response
