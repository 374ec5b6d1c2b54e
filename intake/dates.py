"""Dates as minutes write them: «23 июня 2021 г.», «в срок до 1 марта 2024 г.», «до конца 2024 г.».

A plain regular expression, checked by ``datetime.date``: the research found dateparser
inventing dates from today's («в прошлом году» → this year) and missing «к 15 мая 2024 г.».
A text without a full date gives no date: a day and a month with no year are left to the
secretary, never completed from the calendar.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

MONTHS_GENITIVE = {
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
}
MONTHS_PREPOSITIONAL = {
    "январе": 1,
    "феврале": 2,
    "марте": 3,
    "апреле": 4,
    "мае": 5,
    "июне": 6,
    "июле": 7,
    "августе": 8,
    "сентябре": 9,
    "октябре": 10,
    "ноябре": 11,
    "декабре": 12,
}
_GENITIVE = "|".join(MONTHS_GENITIVE)
_ANY_MONTH = "|".join([*MONTHS_GENITIVE, *MONTHS_PREPOSITIONAL])
_YEAR_WORD = r"(?:\s*(?:г\.|г\b|года\b|году\b|год\b))?"

FULL_DATE = re.compile(
    r"(?<![\d.])[«\"“]?(?P<d>\d{1,2})[»\"”]?(?:-?(?:го|е|ое))?\s+(?P<m>" + _GENITIVE + r")"
    r"\s+(?P<y>\d{4})(?!\d)"
    + _YEAR_WORD
    + r"|(?<![\d.])(?P<nd>\d{1,2})\.(?P<nm>\d{1,2})\.(?P<ny>\d{4})(?![\d.]\d)"
    + _YEAR_WORD,
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})(?:-?(?:го|е))?\s+(?P<m>" + _GENITIVE + r")(?!\s+\d{4})",
    re.IGNORECASE,
)
# What makes a date a deadline: «в срок до», «до», «к», «не позднее», «срок:»
_DEADLINE_BEFORE = re.compile(
    r"(?:(?:в\s+)?срок(?:\s+исполнения)?\s*(?:[:–—-]\s*)?(?:до\s+)?|не\s+позднее\s+|не\s+позже\s+"
    r"|\bдо\s+|\bк\s+|\bпо\s+)$",
    re.IGNORECASE,
)
# A date after these is a document's or a start date, not a deadline.
_NOT_DEADLINE_BEFORE = re.compile(r"(?:\bот|\bс|\bсо|№\s*\S*)\s*$", re.IGNORECASE)
_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_HALVES = {"i": 1, "ii": 2, "1": 1, "2": 2, "первого": 1, "второго": 2, "первом": 1, "втором": 2}
_PERIOD_END = re.compile(
    r"(?P<lead>до\s+конца|к\s+концу|до\s+окончания|в\s+течение|\bв|\bво)\s+"
    r"(?:(?P<q>iv|i{1,3}|[1-4])(?:-?(?:го|й|м))?\s+квартал(?:а|е|у)?\s+"
    r"|(?P<h>ii|i|[12]|первого|второго|первом|втором)(?:-?(?:го|м))?\s+полугоди(?:я|е|и)\s+"
    r"|(?P<mon>" + _ANY_MONTH + r")\s+)?"
    r"(?P<y>\d{4})(?!\d)" + _YEAR_WORD,
    re.IGNORECASE,
)
_RECURRING = re.compile(
    r"\b(?:постоянно|ежегодно|ежеквартально|ежемесячно|еженедельно|в\s+течение\s+года"
    r"|по\s+мере\s+необходимости)\b",
    re.IGNORECASE,
)


_EVERY_BEFORE = re.compile(r"\b(?:ежегодно|ежеквартально|ежемесячно)\s+$", re.IGNORECASE)


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _full_date(match: re.Match) -> datetime.date | None:
    if match.group("d"):
        return _date(
            int(match.group("y")), MONTHS_GENITIVE[match.group("m").lower()], int(match.group("d"))
        )
    return _date(int(match.group("ny")), int(match.group("nm")), int(match.group("nd")))


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    written: str
    date: datetime.date | None  # None for an impossible date such as 31 February


def full_dates(text: str) -> list[FoundDate]:
    """Every date with day, month and year in the text, in order."""
    return [
        FoundDate(m.start(), m.end(), m.group(0).strip(), _full_date(m))
        for m in FULL_DATE.finditer(text)
    ]


@dataclass(frozen=True)
class Deadline:
    """A decision's due date as written, and the date it means (None when it gives none:
    «к 15 мая» with no year, «постоянно», «31 февраля 2024 г.»)."""

    written: str
    date: datetime.date | None


def find_deadline(text: str) -> Deadline | None:
    """The deadline a decision sets: a dated «в срок до …», «к …», «не позднее …»; then the
    end of a period («до конца 2024 года», «в I квартале 2025 г.»); then a day and month
    with no year; then «постоянно», «ежегодно»; last a date standing alone."""
    dates = full_dates(text)
    for found in dates:
        before = text[max(0, found.start - 40) : found.start]
        marker = _DEADLINE_BEFORE.search(before)
        if marker:
            start = found.start - (len(before) - marker.start())
            return Deadline(_clean(text[start : found.end]), found.date)
    for match in _PERIOD_END.finditer(text):
        year = int(match.group("y"))
        if match.group("q"):
            quarter = _ROMAN_QUARTERS[match.group("q").lower()]
            date = _month_end(year, quarter * 3)
        elif match.group("h"):
            date = _month_end(year, _HALVES[match.group("h").lower()] * 6)
        elif match.group("mon"):
            name = match.group("mon").lower()
            month = MONTHS_GENITIVE.get(name) or MONTHS_PREPOSITIONAL[name]
            date = _month_end(year, month)
        else:
            date = datetime.date(year, 12, 31)
        return Deadline(_clean(match.group(0)), date)
    for match in _DAY_MONTH.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        marker = _DEADLINE_BEFORE.search(before)
        if marker:
            start = match.start() - (len(before) - marker.start())
            every = _EVERY_BEFORE.search(text[:start])
            if every:
                start = every.start()
            return Deadline(_clean(text[start : match.end()]), None)
    recurring = _RECURRING.search(text)
    if recurring:
        return Deadline(recurring.group(0), None)
    for found in dates:
        if not _NOT_DEADLINE_BEFORE.search(text[max(0, found.start - 20) : found.start]):
            return Deadline(found.written, found.date)
    return None


def _clean(written: str) -> str:
    return written.strip().rstrip(",;")
