"""Template filters of the portal: Russian dates as the minutes write them."""

import datetime

from django import template

from kernel.dates import long_date

register = template.Library()


@register.filter
def ru_date(value):
    """23 июня 2021 г. (kernel.dates.long_date); nothing for what is not a date."""
    if not isinstance(value, datetime.date):
        return ""
    return long_date(value)


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
