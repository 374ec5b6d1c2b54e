"""Public pages of the club's members: who is in the club and since which minutes."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from kernel.pagecache import cached_public_page

from .models import Member
from .selectors import public_members


def _with_admission(queryset):
    # Admission lives in the resolutions app (it depends on members, not the reverse), so it
    # is reached through the reverse one-to-one by name, without importing that app.
    return queryset.select_related("admission__resolution__meeting")


@require_safe
@cached_public_page
def member_list(request):
    members = list(_with_admission(public_members()))
    return render(request, "members/list.html", {"members": members})


@require_safe
@cached_public_page
def detail(request, pk):
    members = Member.objects.visible_to(request.user).select_related("organization__municipality")
    member = get_object_or_404(_with_admission(members), pk=pk)
    attended = (
        member.attendances.filter(meeting__status="published")
        .select_related("meeting")
        .order_by("-meeting__date")
    )
    return render(
        request,
        "members/detail.html",
        {"member": member, "attended": attended, "admission": _published_admission(member)},
    )


def _published_admission(member):
    admission = member.admission_or_none
    if admission is None or not admission.resolution.meeting.is_published:
        return None
    return admission
