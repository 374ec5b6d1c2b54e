"""Checks on a report's figures: hard ones block submission, soft ones need an explanation.

Pure functions over plain dictionaries (indicator code → whole number or None), so the
web form, the Excel import and the tests run exactly the same rules.
"""

import decimal
import math
import re
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

HARD = "hard"
SOFT = "soft"

# A change counts as a jump when it is above this share of last year's value
# and at least this many units (BRIEF.md, «Checks»).
JUMP_SHARE = 0.5
JUMP_MIN_DIFFERENCE = 20
ATTENDANCE_PER_EVENT = (2, 300)
SUMMER_MONTHS = (6, 7, 8)
# No figure of a library's month comes near this; below 2**53 every whole number is exact
# in a float too (Excel's numbers), so nothing above it is ever stored.
FIGURE_CEILING = 10**15
# A form's own upper bound unless the centre sets another.
DEFAULT_MAX_FIGURE = 10**9
# Longer text is no figure of a library's month (and int() refuses past 4,300 digits).
MAX_DIGITS = 30

EVENTS = "VS.EVENTS"
OUTDOOR_EVENTS = "VS.EVENTS.OUTDOOR"
EVENT_ATTENDANCE = "VS.EVENT_ATT"
KIBO_TRIPS = "VS.KIBO_TRIPS"
KIBO_STOPS = "VS.KIBO_STOPS"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    indicator: str  # the code of the indicator the finding is shown next to
    message: str

    @property
    def is_hard(self) -> bool:
        return self.severity == HARD


# A comma or dot between groups of three digits: «1,000» is a thousand to some and one to
# others, so it is refused rather than guessed.
DIGIT_GROUPS = re.compile(r"^[+-]?[1-9]\d{0,2}([.,]\d{3})+$")
EXPONENT = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)[eE][+-]?\d+$")
# Spaces people and spreadsheets put between thousands: plain, no-break, narrow no-break.
THOUSANDS_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")


class NumberError(str):
    """Why a value is not a figure: the message, and its kind for the Excel import's wording
    (negative, fractional, not_a_number, too_large, ambiguous, exponent, logical)."""

    kind: str

    def __new__(cls, message: str, kind: str):
        error = super().__new__(cls, message)
        error.kind = kind
        return error


def limit_text(limit: int) -> str:
    """1 000 000 000, grouped as Russian writes it."""
    return formats.number_format(limit, force_grouping=True)


def too_large_message(limit: int) -> str:
    return _("The number is too large: the form accepts at most %(limit)s.") % {
        "limit": limit_text(limit)
    }


def parse_whole_number(raw, *, limit: int | None = None) -> tuple[int | None, NumberError | None]:
    """A typed or imported value as a whole non-negative number up to `limit` (the form's
    bound; FIGURE_CEILING when not given), or the reason it is not.

    Text is read exactly (decimal, never through a float: 9007199254740993 stays itself)
    and nothing ambiguous is guessed: «1,000» and «1e3» are refused with a message.
    """
    limit = FIGURE_CEILING if limit is None else limit
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return None, NumberError(_("Enter a whole number."), "logical")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            return None, NumberError(_("Enter a whole number."), "not_a_number")
        if not raw.is_integer():
            return None, _fractional(f"{raw:g}".replace(".", ","))
        value = int(raw)
    else:
        value, error = _parse_text(str(raw))
        if error is not None or value is None:
            return None, error
    if value < 0:
        return None, NumberError(_("The value cannot be negative."), "negative")
    if value > limit:
        return None, NumberError(too_large_message(limit), "too_large")
    return value, None


def _parse_text(raw: str) -> tuple[int | None, NumberError | None]:
    shown = raw.strip()[:50]
    text = raw.strip().translate(THOUSANDS_SPACES)
    if text == "":
        return None, None
    if len(text) > MAX_DIGITS:
        return None, NumberError(_("The number is too large."), "too_large")
    # Decimal digits only (full-width «１２» too): «²» passes isdigit() but int() refuses it.
    if text.removeprefix("-").isdecimal():
        return int(text), None
    if DIGIT_GROUPS.match(text):
        message = _(
            "«%(value)s» is ambiguous: a comma or a dot between groups of digits may mark "
            "thousands or a fraction. Write the number without them (1000) or with spaces "
            "(1 000)."
        )
        return None, NumberError(message % {"value": shown}, "ambiguous")
    if EXPONENT.match(text):
        message = _(
            "«%(value)s» is written with an exponent: write the number in full, without «e»."
        )
        return None, NumberError(message % {"value": shown}, "exponent")
    normalized = text.replace(",", ".")
    try:
        if "_" in normalized or normalized.count(".") > 1:
            raise decimal.InvalidOperation
        number = decimal.Decimal(normalized)
        if not number.is_finite():
            raise decimal.InvalidOperation
    except decimal.InvalidOperation:
        message = _("«%(value)s» is not a number.") % {"value": shown}
        return None, NumberError(message, "not_a_number")
    if number != number.to_integral_value():
        return None, _fractional(text)
    return int(number), None


def _fractional(shown: str) -> NumberError:
    message = _("Only whole numbers are allowed: %(value)s is fractional.") % {"value": shown}
    return NumberError(message, "fractional")


def hard_checks(values: dict, parents: dict, names: dict | None = None) -> list[Finding]:
    """A part («из них») never above its whole. parents: part code → whole code; names:
    code → the line's name, which the message gives instead of the code."""
    names = names or {}
    findings = []
    for part, whole in parents.items():
        part_value, whole_value = values.get(part), values.get(whole)
        if part_value is not None and part_value > (whole_value or 0):
            findings.append(
                Finding(
                    "part_above_whole",
                    HARD,
                    part,
                    _(
                        "The part («of which»: %(part)s) is above its whole «%(whole_name)s» "
                        "(%(whole)s)."
                    )
                    % {
                        "part": part_value,
                        "whole": whole_value or 0,
                        "whole_name": names.get(whole, whole),
                    },
                )
            )
    return findings


def soft_checks(values: dict, last_year: dict, *, month: int) -> list[Finding]:
    """Warnings against the same month last year and between related indicators."""
    findings = []
    for code, value in values.items():
        previous = last_year.get(code)
        if value is None or previous is None:
            continue
        if previous > 0 and value == 0:
            findings.append(
                Finding(
                    "dropped_to_zero",
                    SOFT,
                    code,
                    _("Dropped to zero (last year: %(previous)s).") % {"previous": previous},
                )
            )
        elif previous == 0 and value > 0:
            findings.append(
                Finding(
                    "appeared",
                    SOFT,
                    code,
                    _("Appeared from nothing (last year: 0, now %(value)s).") % {"value": value},
                )
            )
        elif value != 0 and value == previous:
            findings.append(
                Finding(
                    "same_as_last_year",
                    SOFT,
                    code,
                    _("Exactly the same as last year (%(value)s).") % {"value": value},
                )
            )
        elif previous > 0:
            difference = abs(value - previous)
            if difference >= JUMP_MIN_DIFFERENCE and difference > JUMP_SHARE * previous:
                findings.append(
                    Finding(
                        "jump",
                        SOFT,
                        code,
                        _("Changed by %(percent)s%% against last year (%(previous)s → %(value)s).")
                        % {
                            "percent": f"{(value / previous - 1) * 100:+.0f}",
                            "previous": previous,
                            "value": value,
                        },
                    )
                )

    if month in SUMMER_MONTHS and not values.get(OUTDOOR_EVENTS) and last_year.get(OUTDOOR_EVENTS):
        findings.append(
            Finding(
                "no_outdoor_events",
                SOFT,
                OUTDOOR_EVENTS,
                _("No outdoor events in a summer month, though last year there were %(previous)s.")
                % {"previous": last_year[OUTDOOR_EVENTS]},
            )
        )

    events, attendance = values.get(EVENTS), values.get(EVENT_ATTENDANCE)
    if events and attendance is not None:
        per_event = attendance / events
        low, high = ATTENDANCE_PER_EVENT
        if not low <= per_event <= high:
            findings.append(
                Finding(
                    "attendance_per_event",
                    SOFT,
                    EVENT_ATTENDANCE,
                    _("%(per_event)s visits per event: expected from %(low)s to %(high)s.")
                    % {"per_event": f"{per_event:.1f}".replace(".", ","), "low": low, "high": high},
                )
            )

    trips, stops = values.get(KIBO_TRIPS), values.get(KIBO_STOPS)
    if trips is not None and stops is not None and stops < trips:
        findings.append(
            Finding(
                "kibo_stops_below_trips",
                SOFT,
                KIBO_STOPS,
                _("Fewer mobile library stops (%(stops)s) than trips (%(trips)s).")
                % {"stops": stops, "trips": trips},
            )
        )
    return findings


def run_checks(
    values: dict, last_year: dict, *, parents: dict, month: int, names: dict | None = None
) -> list[Finding]:
    return hard_checks(values, parents, names) + soft_checks(values, last_year, month=month)
