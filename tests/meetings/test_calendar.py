"""The calendars as a calendar application reads them (icalendar): the whole description,
the way back to the meeting's page, the same bytes for the same meetings."""

import datetime

import pytest
from icalendar import Calendar

from meetings.models import Meeting
from tests.helpers import make_meeting

pytestmark = pytest.mark.django_db

# Longer than the 1,000 characters the description used to be cut at, sentences to the end.
SENTENCE = "Участники обсудили опыт внестационарного обслуживания в библиотеках Кузбасса. "
PREAMBLE = SENTENCE * 30 + "Последнее предложение вступления."


@pytest.fixture(autouse=True)
def site_url(settings):
    # Links in files that leave the portal are on the configured address (DJANGO_SITE_URL).
    settings.SITE_URL = "https://club.example.ru"


def events(response):
    assert response.status_code == 200
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_description_is_the_whole_preamble_with_the_meetings_address(client):
    meeting = make_meeting(datetime.date(2024, 5, 15), preamble=PREAMBLE)
    assert len(PREAMBLE) > 2000
    (event,) = events(client.get(f"/meetings/{meeting.slug}/calendar.ics"))
    page = "https://club.example.ru/meetings/2024-05-15/"
    description = str(event["DESCRIPTION"])
    assert description.startswith(PREAMBLE)  # word for word, the last sentence included
    assert description.endswith(f"Заседание и его протокол на портале: {page}")
    assert str(event["URL"]) == page


def test_an_online_meetings_link_stays_in_the_description_beside_the_page(client):
    meeting = make_meeting(
        datetime.date(2024, 5, 15), format="online", link="https://meet.example/club"
    )
    (event,) = events(client.get(f"/meetings/{meeting.slug}/calendar.ics"))
    assert "Ссылка для подключения: https://meet.example/club" in str(event["DESCRIPTION"])
    assert str(event["CONFERENCE"]) == "https://meet.example/club"
    assert str(event["URL"]) == "https://club.example.ru/meetings/2024-05-15/"


def test_the_club_calendar_links_every_published_meeting_and_no_draft(client):
    make_meeting(datetime.date(2023, 6, 1), preamble=PREAMBLE)
    make_meeting(datetime.date(2024, 5, 15))
    make_meeting(datetime.date(2025, 1, 1), status=Meeting.Status.DRAFT)
    found = events(client.get("/meetings/calendar.ics"))
    assert [str(e["URL"]) for e in found] == [
        "https://club.example.ru/meetings/2023-06-01/",
        "https://club.example.ru/meetings/2024-05-15/",
    ]
    assert str(found[0]["DESCRIPTION"]).startswith(PREAMBLE)


def test_the_same_meetings_make_the_same_calendar(client):
    meeting = make_meeting(datetime.date(2024, 5, 15))
    first = client.get(f"/meetings/{meeting.slug}/calendar.ics").content
    # DTSTAMP is the meeting's last revision, not the moment of the download.
    assert client.get(f"/meetings/{meeting.slug}/calendar.ics").content == first
    (event,) = Calendar.from_ical(first).walk("VEVENT")
    assert event["DTSTAMP"].dt == meeting.updated_at.replace(microsecond=0)


def test_the_calendar_links_to_the_configured_site_whatever_host_served_it(client, settings):
    """A calendar is a file kept away from the portal: its links, and so its bytes, do not
    depend on the host name the request came by (an address on the local network, say)."""
    settings.ALLOWED_HOSTS = ["testserver", "192.168.0.5"]
    meeting = make_meeting(datetime.date(2024, 5, 15))
    url = f"/meetings/{meeting.slug}/calendar.ics"
    by_name, by_address = client.get(url), client.get(url, HTTP_HOST="192.168.0.5")
    assert by_name.content == by_address.content
    (event,) = events(by_address)
    assert str(event["URL"]) == "https://club.example.ru/meetings/2024-05-15/"
