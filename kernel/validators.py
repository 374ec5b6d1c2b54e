"""The sane range of the dates and years staff type: from 1990 to 2100.

A meeting dated 31.12.9999 was once accepted, and the calendar of every meeting answered
500 from then on (its end, a day later, is past the calendar). The club was founded long
after 1990 and its records will not be kept in 2100; anything outside is a typing error.
Models use the validators (forms and the admin show the message) and the database checks
(constraints built by date_in_range() and year_in_range()); views use is_sane_year() on
years in the address.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

FIRST_YEAR, LAST_YEAR = 1990, 2100
FIRST_DAY = datetime.date(FIRST_YEAR, 1, 1)
LAST_DAY = datetime.date(LAST_YEAR, 12, 31)

_RANGE = {"first": FIRST_YEAR, "last": LAST_YEAR}


def _in_range(message: str):
    # Translated when shown, with the years in: a constraint's message takes no parameters.
    return lazy(lambda: gettext(message) % _RANGE, str)()


DATE_OUT_OF_RANGE = _in_range(
    gettext_noop("Enter a date from 1 January %(first)s to 31 December %(last)s.")
)
YEAR_OUT_OF_RANGE = _in_range(gettext_noop("Enter a year from %(first)s to %(last)s."))


def validate_sane_date(value: datetime.date) -> None:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_out_of_range")


def validate_sane_year(value: int) -> None:
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValidationError(YEAR_OUT_OF_RANGE, code="year_out_of_range")


def is_sane_year(value: int) -> bool:
    return FIRST_YEAR <= value <= LAST_YEAR


def date_in_range(field: str, *, null: bool = False) -> Q:
    """The check of a date column; a nullable one may also be empty."""
    condition = Q(**{f"{field}__gte": FIRST_DAY, f"{field}__lte": LAST_DAY})
    return condition | Q(**{f"{field}__isnull": True}) if null else condition


def year_in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR})
