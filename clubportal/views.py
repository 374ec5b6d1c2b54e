"""The home page: the latest minutes and the decisions still open."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from meetings.models import Meeting
from resolutions.models import Resolution

OPEN_DECISIONS_SHOWN = 10


@require_safe
def home(request):
    latest = Meeting.objects.published().select_related("venue").order_by("-date", "-pk").first()
    open_decisions = list(
        Resolution.objects.published()
        .open_decisions()
        .select_related("meeting")
        .prefetch_related("responsible_organizations")
        .order_by("due_date", "-meeting__date", "number")[:OPEN_DECISIONS_SHOWN]
    )
    return render(
        request,
        "home.html",
        {
            "latest": latest,
            "latest_counts": _counts(latest),
            "open_decisions": open_decisions,
            "today": timezone.localdate(),
        },
    )


def _counts(meeting):
    if meeting is None:
        return {}
    return {
        "items": meeting.resolutions.count(),
        "agenda": meeting.agenda_items.count(),
    }
