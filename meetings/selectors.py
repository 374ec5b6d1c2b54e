"""Reads of meetings alone; the minutes composed with their resolutions are minutes/selectors.py."""

from .models import Meeting


def meeting_queryset():
    return Meeting.objects.select_related(
        "venue__municipality", "chair__organization", "secretary__organization"
    )


def archive_years(user) -> list[int]:
    return [d.year for d in Meeting.objects.visible_to(user).dates("date", "year", order="DESC")]
