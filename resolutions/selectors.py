"""Reads of resolutions for the public list, its export and the resolution page."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from intake import search
from kernel.search import matching
from meetings.models import Meeting

from .models import Resolution


def search_resolutions(queryset, query: str):
    """Items holding every word of the query in any form, «ё» as «е» (kernel.search: the
    same rows on SQLite and PostgreSQL); a query of stop words alone finds nothing."""
    query = query.strip()
    if not query:
        return queryset
    # The list shows a page, newest meeting first: see kernel.search.matching.
    return matching(queryset, search.query_groups(query), in_listed_order=True)


def published_resolutions(
    *,
    kind=None,
    status=None,
    year=None,
    organization=None,
    overdue=False,
    query="",
):
    """Items of published minutes, filtered, newest meeting first, in section order."""
    qs = Resolution.objects.filter(meeting__status=Meeting.Status.PUBLISHED)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(meeting__date__year=year)
    if organization:
        concerns = Q(responsible_organizations=organization) | Q(
            admissions__member__organization=organization
        )
        if organization.is_library_system:
            # A decision given to every library system of the region is one of hers.
            concerns |= Q(to_library_systems=True)
        qs = qs.filter(concerns).distinct()
    if overdue:
        qs = qs.overdue(timezone.localdate())
    if query:
        qs = search_resolutions(qs, query)
    return qs.order_by("-meeting__date", "-meeting_id", "section", "number")


def with_listing_relations(queryset):
    """What each row of the list shows: its meeting and responsible organisations."""
    return (
        queryset.select_related("meeting")
        .defer("meeting__preamble", "meeting__resolved_intro", "meeting__decisions_intro")
        .prefetch_related("responsible_organizations")
    )


def resolution_years() -> list[int]:
    # EXISTS, not a join: the years of a thousand meetings, not of twenty thousand items.
    has_items = Resolution.objects.filter(meeting=OuterRef("pk"))
    return [
        d.year
        for d in Meeting.objects.published()
        .filter(Exists(has_items))
        .dates("date", "year", order="DESC")
    ]
