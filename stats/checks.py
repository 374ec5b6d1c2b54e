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
OUTDOOR_ATTENDANCE = "VS.EVENT_ATT.OUTDOOR"
VISITS = "VS.VISITS"
KIBO_TRIPS = "VS.KIBO_TRIPS"
KIBO_STOPS = "VS.KIBO_STOPS"


@dataclass(frozen=True)
class Thresholds:
    """The limits of the soft checks: stats.models.CheckSettings of a form version, which the
    centre tunes in the admin; these defaults are the values BRIEF.md gives.

    «The same as last year» is not checked on figures of 10 or less, nor on stocks: in the
    demo's six years that rule made 64 % of all warnings, three quarters of them on counts of
    ten or less (four outdoor events in June, twice running, is no sign of a copied report)
    and a quarter on stocks, which are meant to stay as they were (12 service points).
    """

    # A change counts as a jump when it is above this share of last year's value, in per
    # cent, and at least this many units.
    jump_percent: int = 50
    jump_min_difference: int = 20
    jump_on_stocks: bool = True
    # A figure identical to last year's is worth a word only above this.
    same_above: int = 10
    same_on_stocks: bool = False
    # A figure dropped to zero or appeared from nothing.
    zero_on_stocks: bool = True
    # Visits per event, for all off-site events and for the outdoor ones.
    attendance_min: int = 2
    attendance_max: int = 300


DEFAULT_THRESHOLDS = Thresholds()


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


def cross_checks(values: dict, names: dict | None = None) -> list[Finding]:
    """What the form's lines imply about each other, beyond its «из них» parts (hard).

    The visits of off-site events are a part of all off-site visits: the form counts them
    twice, as «из них посещения мероприятий» and as the events' own line, and neither may be
    above the whole.
    """
    names = names or {}
    findings = []
    attendance, visits = values.get(EVENT_ATTENDANCE), values.get(VISITS)
    if attendance is not None and visits is not None and attendance > visits:
        findings.append(
            Finding(
                "event_visits_above_visits",
                HARD,
                EVENT_ATTENDANCE,
                _(
                    "The visits of events (%(part)s) are above «%(whole_name)s» (%(whole)s), "
                    "though they are a part of all visits."
                )
                % {
                    "part": attendance,
                    "whole": visits,
                    "whole_name": names.get(VISITS, VISITS),
                },
            )
        )
    return findings


def _ratio_text(ratio: float) -> str:
    return f"{ratio:.1f}".replace(".", ",")


def soft_checks(
    values: dict,
    last_year: dict,
    *,
    month: int,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    stocks=frozenset(),
    names: dict | None = None,
) -> list[Finding]:
    """Warnings against the same month last year and between related indicators.

    stocks: the codes of stock indicators (a number of points or sites), which some
    comparisons with last year leave out as the thresholds say.
    """
    names = names or {}
    limits = thresholds
    findings = []
    for code, value in values.items():
        previous = last_year.get(code)
        if value is None or previous is None:
            continue
        is_stock = code in stocks
        if previous > 0 and value == 0:
            if limits.zero_on_stocks or not is_stock:
                findings.append(
                    Finding(
                        "dropped_to_zero",
                        SOFT,
                        code,
                        _("Dropped to zero (last year: %(previous)s).") % {"previous": previous},
                    )
                )
        elif previous == 0 and value > 0:
            if limits.zero_on_stocks or not is_stock:
                findings.append(
                    Finding(
                        "appeared",
                        SOFT,
                        code,
                        _("Appeared from nothing (last year: 0, now %(value)s).")
                        % {"value": value},
                    )
                )
        elif value != 0 and value == previous:
            if value > limits.same_above and (limits.same_on_stocks or not is_stock):
                findings.append(
                    Finding(
                        "same_as_last_year",
                        SOFT,
                        code,
                        _("Exactly the same as last year (%(value)s).") % {"value": value},
                    )
                )
        elif previous > 0 and (limits.jump_on_stocks or not is_stock):
            difference = abs(value - previous)
            # In whole numbers: a share of exactly 50 % is no jump, whatever floats say.
            if (
                difference >= limits.jump_min_difference
                and difference * 100 > limits.jump_percent * previous
            ):
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

    low, high = limits.attendance_min, limits.attendance_max
    events, attendance = values.get(EVENTS), values.get(EVENT_ATTENDANCE)
    if events and attendance is not None and not low <= attendance / events <= high:
        findings.append(
            Finding(
                "attendance_per_event",
                SOFT,
                EVENT_ATTENDANCE,
                _("%(per_event)s visits per event: expected from %(low)s to %(high)s.")
                % {"per_event": _ratio_text(attendance / events), "low": low, "high": high},
            )
        )
    outdoor, outdoor_attendance = values.get(OUTDOOR_EVENTS), values.get(OUTDOOR_ATTENDANCE)
    if (
        outdoor
        and outdoor_attendance is not None
        and not low <= outdoor_attendance / outdoor <= high
    ):
        findings.append(
            Finding(
                "outdoor_attendance_per_event",
                SOFT,
                OUTDOOR_ATTENDANCE,
                _("%(per_event)s visits per outdoor event: expected from %(low)s to %(high)s.")
                % {
                    "per_event": _ratio_text(outdoor_attendance / outdoor),
                    "low": low,
                    "high": high,
                },
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
    values: dict,
    last_year: dict,
    *,
    parents: dict,
    month: int,
    names: dict | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    stocks=frozenset(),
) -> list[Finding]:
    """Every check on a report's figures: errors first, then warnings."""
    return (
        hard_checks(values, parents, names)
        + cross_checks(values, names)
        + soft_checks(
            values, last_year, month=month, thresholds=thresholds, stocks=stocks, names=names
        )
    )
