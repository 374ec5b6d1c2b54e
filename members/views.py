"""The list of the club's members: who is in the club and since which minutes (a member's own
page, her record, is chronicle's: chronicle/views/record.py)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from kernel.pagecache import cached_public_page

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
