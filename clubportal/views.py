"""The home page (the latest minutes, the decisions still open, the last summer's figures),
the site's search and where a person lands after login."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from kernel.pagecache import cached_public_page
from meetings.models import Meeting
from minutes.search import site_search
from resolutions.models import Resolution
from stats.access import is_centre
from stats.region_figures import last_summer_headline

OPEN_DECISIONS_SHOWN = 10
# A query longer than this is cut: nobody types it, and each word costs a condition.
SEARCH_QUERY_LENGTH = 200


@require_safe
@cached_public_page
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
            "summer": last_summer_headline(),
        },
    )


@require_safe
@cached_public_page
def search(request):
    """One Russian search over published meetings, their items and public members."""
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_LENGTH]
    results = site_search(query) if query else None
    return render(request, "search.html", {"query": query, "results": results})


def _counts(meeting):
    if meeting is None:
        return {}
    return {"items": meeting.resolutions.count()}


def healthz(request):
    """For load balancers and the benchmark's reference: answers without the database."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def after_login(request):
    """Where a person lands after logging in: her own work, by role."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if getattr(user, "operator_account", None) is not None:
        return redirect("stats:my_reports")
    if is_centre(user):
        return redirect("stats:review_board")
    if user.is_staff:
        return redirect("admin:index")
    return redirect("home")
