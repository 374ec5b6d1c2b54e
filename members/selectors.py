"""Reads of members for the public pages (templates never show e-mail or phone)."""

from django.db.models import QuerySet

from .models import Member


def public_members() -> QuerySet:
    """Current public members ordered by municipality, organisation and name."""
    return (
        Member.objects.public()
        .active()
        .select_related("organization__municipality")
        .order_by(
            "organization__municipality__name",
            "organization__short_name",
            "last_name",
            "first_name",
        )
    )
