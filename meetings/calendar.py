"""The meetings as iCalendar (RFC 5545), written by the icalendar library."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kernel.downloads import ICS, Validators, download_response, validated
from kernel.links import absolute_url

# The UID's domain names the club, not the host that served the file: a calendar that
# subscribed through another address must still recognise its events.
UID_DOMAIN = "kuzbass-methodists.local"


def meeting_description(meeting, page_url: str) -> str:
    """The whole preamble, the link to join an online meeting, and the way back to the page."""
    parts = [meeting.preamble.strip()]
    if meeting.link:
        parts.append(_("Link to join: %(link)s") % {"link": meeting.link})
    parts.append(_("The meeting and its minutes on the portal: %(url)s") % {"url": page_url})
    return "\n\n".join(p for p in parts if p)


def meetings_calendar(meetings, *, base_url: str, domain: str = UID_DOMAIN) -> bytes:
    """The calendar of these meetings; base_url («https://host») makes their pages' addresses."""
    cal = Calendar()
    cal.add("prodid", f"-//{settings.CLUB_NAME}//ru")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", settings.CLUB_NAME)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.slug}@{domain}")
        # The last revision (RFC 5545 3.8.7.2, a calendar without METHOD), not the moment of
        # the download: the same meetings make the same bytes, which a client may revalidate.
        event.add("dtstamp", meeting.updated_at)
        event.add("last-modified", meeting.updated_at)
        # Minutes record the day, not the hour: an all-day event.
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + datetime.timedelta(days=1))
        summary = meeting.title + (f": {meeting.topic}" if meeting.topic else "")
        event.add("summary", summary)
        place = meeting.address or (meeting.venue.display_full_name if meeting.venue else "")
        if meeting.format == meeting.Format.ONLINE and not place:
            place = str(meeting.Format.ONLINE.label)
        if place:
            event.add("location", place)
        page_url = base_url.rstrip("/") + meeting.get_absolute_url()
        # One URL per event (RFC 5545 3.8.4.6): the meeting's page; the link to join an
        # online meeting is in the description and, for clients that know it, CONFERENCE.
        event.add("url", page_url)
        if meeting.link:
            event.add("conference", meeting.link, parameters={"value": "URI"})
        event.add("description", meeting_description(meeting, page_url))
        cal.add_component(event)
    return cal.to_ical()


def ics_response(request, meetings, filename: str, validators: Validators) -> HttpResponse:
    # Inline: a calendar application opens it rather than saving it. Its links are on the
    # configured site address, as every file's that leaves the portal: the same file, and so
    # the same ETag, whichever host name the request came by.
    response = download_response(
        meetings_calendar(meetings, base_url=absolute_url("/")),
        filename=filename,
        content_type=ICS,
        as_attachment=False,
    )
    return validated(response, validators)
