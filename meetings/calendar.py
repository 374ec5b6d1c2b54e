"""The meetings as iCalendar (RFC 5545), written by the icalendar library."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from kernel.downloads import ICS, download_response


def meetings_calendar(meetings, *, domain: str = "kuzbass-methodists.local") -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.CLUB_NAME}//ru")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", settings.CLUB_NAME)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.slug}@{domain}")
        event.add("dtstamp", stamp)
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
        if meeting.link:
            event.add("url", meeting.link)
        event.add("description", meeting.preamble[:1000])
        cal.add_component(event)
    return cal.to_ical()


def ics_response(meetings, filename: str) -> HttpResponse:
    # Inline: a calendar application opens it rather than saving it.
    return download_response(
        meetings_calendar(meetings), filename=filename, content_type=ICS, as_attachment=False
    )
