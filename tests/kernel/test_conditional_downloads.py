"""Every file, feed and calendar carries validators (ETag, Last-Modified): a client asking
again gets 304 Not Modified until the content changes, then the new file with 200."""

import datetime

import feedparser
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting, MeetingAttachment
from tests.helpers import make_meeting, make_resolution
from tests.stats.test_region_figures import example  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

NEW_TITLE = "Заседание клуба с исправленным названием"


def attach(meeting):
    item = MeetingAttachment(meeting=meeting, title="Презентация", kind="presentation")
    item.file = ContentFile(b"%PDF-1.4 test", name="slides.pdf")
    item.save()
    return item


@pytest.fixture
def files(demo):
    item = demo.resolutions.order_by("section", "number").first()
    return {
        "feed": "/meetings/feed/",
        "calendar": "/meetings/calendar.ics",
        "meeting-calendar": "/meetings/2021-06-23/calendar.ics",
        "minutes-pdf": "/meetings/2021-06-23/minutes.pdf",
        "minutes-xlsx": "/meetings/2021-06-23/minutes.xlsx",
        "extract": f"/resolutions/{item.pk}/extract.pdf",
        "resolutions-export": "/resolutions/export.xlsx",
        "attachment": f"/meetings/2021-06-23/files/{attach(demo).pk}/",
    }


def retitle(meeting, django_capture_on_commit_callbacks):
    """An edit committed an hour later, as the secretary's save is (the commit bumps the
    content version)."""
    later = timezone.now() + datetime.timedelta(hours=1)
    with time_machine.travel(later, tick=True), django_capture_on_commit_callbacks(execute=True):
        meeting.title = NEW_TITLE
        meeting.save()


def read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    "name",
    [
        "feed",
        "calendar",
        "meeting-calendar",
        "minutes-pdf",
        "minutes-xlsx",
        "extract",
        "resolutions-export",
        "attachment",
    ],
)
def test_a_repeated_download_is_304_until_the_content_changes(
    client, demo, files, name, django_capture_on_commit_callbacks
):
    url = files[name]
    first = client.get(url)
    assert first.status_code == 200
    read(first)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert "max-age=0" in first["Cache-Control"] and "private" not in first["Cache-Control"]
    by_etag = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == etag
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert by_date.status_code == 304

    retitle(demo, django_capture_on_commit_callbacks)
    if name != "attachment":  # its bytes are the stored file's, whatever the meeting's title
        changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert changed.status_code == 200 and changed["ETag"] != etag
    changed = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert changed.status_code == 200
    assert changed["Last-Modified"] != last_modified


def test_a_feed_reader_polls_the_feed_and_sees_the_new_title(
    client, demo, django_capture_on_commit_callbacks
):
    first = client.get("/meetings/feed/")
    feed = feedparser.parse(first.content)
    assert feed.entries[0].title.startswith("Ежегодное заседание")
    polled = client.get(
        "/meetings/feed/",
        HTTP_IF_NONE_MATCH=first["ETag"],
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
    )
    assert polled.status_code == 304
    retitle(demo, django_capture_on_commit_callbacks)
    polled = client.get("/meetings/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert polled.status_code == 200
    assert feedparser.parse(polled.content).entries[0].title.startswith(NEW_TITLE)


def test_a_subscribed_calendar_sees_the_new_title_after_304s(
    client, demo, django_capture_on_commit_callbacks
):
    first = client.get("/meetings/calendar.ics")
    assert client.get("/meetings/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    retitle(demo, django_capture_on_commit_callbacks)
    again = client.get("/meetings/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    (event,) = Calendar.from_ical(again.content).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith(NEW_TITLE)


def test_the_resolutions_export_of_a_new_day_is_a_new_file(client, demo):
    first = client.get("/resolutions/export.xlsx")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        again = client.get("/resolutions/export.xlsx", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200  # overdue is judged against the new day
    assert again["Content-Disposition"] != first["Content-Disposition"]


def test_a_drafts_files_stay_private_and_hidden_from_the_public(client, secretary):
    draft = make_meeting(datetime.date(2025, 3, 3), status=Meeting.Status.DRAFT)
    make_resolution(draft, number=1)
    urls = [
        f"/meetings/{draft.slug}/calendar.ics",
        f"/meetings/{draft.slug}/minutes.xlsx",
        f"/meetings/{draft.slug}/minutes.pdf",
        f"/meetings/{draft.slug}/files/{attach(draft).pk}/",
    ]
    client.force_login(secretary)
    etags = {}
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        read(first)
        assert "private" in first["Cache-Control"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and "private" in again["Cache-Control"], url
        etags[url] = first["ETag"]
    client.logout()
    for url, etag in etags.items():
        # The validators never outrun the check of who may see the file.
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404, url
        assert (
            client.get(url, HTTP_IF_MODIFIED_SINCE="Fri, 01 Jan 2100 00:00:00 GMT").status_code
            == 404
        )


@pytest.mark.parametrize("url", ["/stats/summer/2024.pdf", "/stats/summer/2024.xlsx"])
def test_the_summer_files_are_304_until_a_figure_changes(
    client,
    example,  # noqa: F811  (the fixture imported above)
    url,
    django_capture_on_commit_callbacks,
):
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    organization = example["a"]
    later = timezone.now() + datetime.timedelta(hours=1)
    with time_machine.travel(later, tick=True), django_capture_on_commit_callbacks(execute=True):
        organization.short_name = "ЦБС Переименованная"
        organization.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200
