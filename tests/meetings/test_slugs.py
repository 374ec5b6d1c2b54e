"""A meeting's address defaults to its ISO date and never clashes."""

import datetime

import pytest

from tests.helpers import make_meeting

pytestmark = pytest.mark.django_db

DAY = datetime.date(2021, 6, 23)


def test_slug_defaults_to_the_iso_date():
    assert make_meeting(DAY).slug == "2021-06-23"


def test_second_and_third_meetings_on_one_day_get_numbered_slugs():
    make_meeting(DAY)
    assert make_meeting(DAY).slug == "2021-06-23-2"
    assert make_meeting(DAY).slug == "2021-06-23-3"


def test_a_typed_slug_is_kept():
    assert make_meeting(DAY, slug="letnie-chtenia").slug == "letnie-chtenia"


def test_saving_again_keeps_the_slug():
    meeting = make_meeting(DAY)
    meeting.topic = "Другая тема"
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.slug == "2021-06-23"
