"""Dates as the portal writes them: «23 июня 2021 г.».

One formatter for pages (the `ru_date` filter), documents, workbooks and messages. A moment
(an aware datetime) is written as its day in the portal's time zone, Novokuznetsk: the
database holds UTC, which is still the day before there from midnight to 7 in the morning.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import pgettext


def local_day(value: datetime.date) -> datetime.date:
    """The calendar day of a date or moment, a moment's in the portal's time zone."""
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def long_date(value: datetime.date) -> str:
    """23 июня 2021 г."""
    day = formats.date_format(local_day(value), "j E Y")
    return pgettext("long date", "%(date)s y.") % {"date": day}


def long_moment(moment: datetime.datetime) -> str:
    """23 июня 2025 г., 14:05: a moment in the portal's time zone."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return pgettext("date and time", "%(date)s, %(time)s") % {
        "date": long_date(local),
        "time": formats.time_format(local, "H:i"),
    }
