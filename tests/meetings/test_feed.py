"""The Atom feed as feed readers get it: valid Atom, summaries as plain text, never markup."""

import datetime
from xml.etree import ElementTree

import feedparser
import pytest
from django.conf import settings

from meetings.models import Meeting
from tests.helpers import make_meeting

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MARKUP = (
    'Заседание открыла <b>председатель</b>.<script>alert("feed")</script>'
    '<img src="https://evil.example/x.png" onerror="alert(1)"> Итоги & планы.'
)


@pytest.fixture
def meetings(db):
    return [
        make_meeting(datetime.date(2024, 5, 15), preamble=MARKUP),
        make_meeting(datetime.date(2023, 6, 1), preamble="Обычное вступление."),
        make_meeting(datetime.date(2025, 1, 1), status=Meeting.Status.DRAFT, preamble="Черновик"),
    ]


def read_feed(client):
    response = client.get("/meetings/feed/")
    assert response.status_code == 200
    return response, feedparser.parse(response.content)


def test_feed_summary_is_the_preamble_as_plain_text_never_markup(client, meetings):
    response, feed = read_feed(client)
    entry = next(e for e in feed.entries if e.link.endswith(f"/{meetings[0].slug}/"))
    assert entry.summary_detail.type == "text/plain"
    # A reader shows what the secretary typed, tags as characters: nothing runs or loads.
    assert entry.summary == MARKUP
    summaries = ElementTree.fromstring(response.content).iter(f"{ATOM}summary")
    assert {s.get("type") for s in summaries} == {"text"}


def test_feed_is_structurally_valid_atom(client, meetings):
    _response, feed = read_feed(client)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.author_detail.name == settings.CLUB_NAME
    assert feed.feed.title == settings.CLUB_NAME
    assert feed.feed.id
    assert feed.feed.updated_parsed is not None
    assert len(feed.entries) == 2  # published minutes only
    ids = [entry.id for entry in feed.entries]
    assert all(ids) and len(set(ids)) == len(ids)
    for entry in feed.entries:
        assert entry.title and entry.link
        assert entry.updated_parsed is not None
        assert entry.published_parsed is not None


def test_feed_author_is_the_club_on_the_feed_element(client, meetings):
    response, _feed = read_feed(client)
    root = ElementTree.fromstring(response.content)
    authors = root.findall(f"{ATOM}author")
    assert [a.findtext(f"{ATOM}name") for a in authors] == [settings.CLUB_NAME]
