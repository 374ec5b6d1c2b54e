"""Fixtures of the minutes tests."""

import pytest

from demo.club import demo_organizations
from demo.statistics import library_systems
from meetings.models import Meeting
from members.models import Member, Municipality, Organization


@pytest.fixture
def catalogue():
    """The demo's organisations (the club's and the region's library systems), no meeting."""
    demo_organizations()
    for municipality, short, full, _scale in library_systems():
        place, _ = Municipality.objects.get_or_create(name=municipality)
        Organization.objects.get_or_create(
            short_name=short,
            defaults={"full_name": full, "kind": Organization.Kind.CBS, "municipality": place},
        )
    assert not Meeting.objects.exists() and not Member.objects.exists()
    return Organization.objects.count()
