"""Checks on a report's figures: hard ones block submission, soft ones need an explanation.

Pure functions over plain dictionaries (indicator code → whole number or None), so the
web form, the Excel import and the tests run exactly the same rules.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

HARD = "hard"
SOFT = "soft"

# A change counts as a jump when it is above this share of last year's value
# and at least this many units (BRIEF.md, «Checks»).
JUMP_SHARE = 0.5
JUMP_MIN_DIFFERENCE = 20
ATTENDANCE_PER_EVENT = (2, 300)
SUMMER_MONTHS = (6, 7, 8)
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


def parse_whole_number(raw) -> tuple[int | None, str | None]:
    """A typed or imported value as a whole non-negative number, or the reason it is not."""
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return None, _("Enter a whole number.")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            return None, _("Only whole numbers are allowed: %(value)s is fractional.") % {
                "value": f"{raw:g}".replace(".", ",")
            }
        value = int(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if text == "":
            return None, None
        if len(text) > MAX_DIGITS:
            return None, _("The number is too large.")
        digits = text.removeprefix("-")
        # Decimal digits only (full-width «１２» too): «²» passes isdigit() but int() refuses it.
        if digits.isdecimal():
            value = int(text)
        else:
            normalized = text.replace(",", ".")
            if "_" in normalized:
                return None, _("«%(value)s» is not a number.") % {"value": str(raw)[:50]}
            try:
                number = float(normalized)
            except ValueError:
                return None, _("«%(value)s» is not a number.") % {"value": str(raw)[:50]}
            if math.isnan(number) or math.isinf(number):
                return None, _("«%(value)s» is not a number.") % {"value": str(raw)[:50]}
            if not number.is_integer():
                return None, _("Only whole numbers are allowed: %(value)s is fractional.") % {
                    "value": text
                }
            value = int(number)
    if value < 0:
        return None, _("The value cannot be negative.")
    return value, None


def hard_checks(values: dict, parents: dict) -> list[Finding]:
    """A part («из них») never above its whole. parents: part code → whole code."""
    findings = []
    for part, whole in parents.items():
        part_value, whole_value = values.get(part), values.get(whole)
        if part_value is not None and part_value > (whole_value or 0):
            findings.append(
                Finding(
                    "part_above_whole",
                    HARD,
                    part,
                    _("The part (%(part)s) is above its whole %(whole_code)s (%(whole)s).")
                    % {"part": part_value, "whole": whole_value or 0, "whole_code": whole},
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


def run_checks(values: dict, last_year: dict, *, parents: dict, month: int) -> list[Finding]:
    return hard_checks(values, parents) + soft_checks(values, last_year, month=month)
