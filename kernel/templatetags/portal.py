"""Template filters of the portal: Russian dates as the minutes write them."""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def ru_date(value):
    """23 июня 2021 г.; a moment by its day in Novokuznetsk (the database holds UTC, which
    is still the day before there from midnight to 7 in the morning)."""
    if not isinstance(value, datetime.date):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return pgettext("long date", "%(date)s y.") % {"date": formats.date_format(value, "j E Y")}


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
