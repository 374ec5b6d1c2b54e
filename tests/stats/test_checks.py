"""Every check of BRIEF.md on hand-made figures, with its boundaries and its Russian message."""

import pytest

from stats.checks import (
    HARD,
    SOFT,
    Thresholds,
    cross_checks,
    hard_checks,
    parse_whole_number,
    run_checks,
    soft_checks,
)

PARENTS = {
    "VS.VISITS.CHILD": "VS.VISITS",
    "VS.EVENTS.OUTDOOR": "VS.EVENTS",
    "VS.EVENT_ATT.OUTDOOR": "VS.EVENT_ATT",
}


def codes(findings):
    return sorted((f.indicator, f.code) for f in findings)


# Hard: whole non-negative numbers -------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12", 12),
        (" 1 200 ", 1200),
        ("1\u00a0200", 1200),
        ("0", 0),
        ("12,0", 12),
        ("12.0", 12),
        (7, 7),
        (3.0, 3),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_whole_non_negative_numbers_are_read(raw, value):
    assert parse_whole_number(raw) == (value, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12,5", "Допускаются только целые числа: 12,5 — дробное."),
        ("0.5", "Допускаются только целые числа: 0.5 — дробное."),
        (2.5, "Допускаются только целые числа: 2,5 — дробное."),
        ("-3", "Значение не может быть отрицательным."),
        (-1, "Значение не может быть отрицательным."),
        ("-2,0", "Значение не может быть отрицательным."),
        ("abc", "«abc» — не число."),
        ("12 шт.", "«12 шт.» — не число."),
        (True, "Введите целое число."),
        # Ambiguous: a thousand to some, one to others; an exponent.
        (
            "1,000",
            "«1,000» читается двояко: запятая или точка между группами цифр может отделять и "
            "тысячи, и дробную часть. Запишите число без них (1000) или с пробелами (1 000).",
        ),
        ("1.500", "«1.500» читается двояко"),
        ("12,000,000", "«12,000,000» читается двояко"),
        ("1e3", "«1e3» записано с порядком: запишите число полностью, без «e»."),
        ("2,5E+2", "«2,5E+2» записано с порядком: запишите число полностью, без «e»."),
        # Above the bound, read exactly: no float turns …993 into …992.
        ("9007199254740993.0", "Слишком большое число: форма допускает не больше 1 000 000 000."),
        ("1000000001", "Слишком большое число: форма допускает не больше 1 000 000 000."),
        (1e10, "Слишком большое число: форма допускает не больше 1 000 000 000."),
    ],
)
def test_bad_numbers_are_refused_with_a_russian_message(raw, message):
    value, error = parse_whole_number(raw, limit=10**9)
    assert value is None
    assert error.replace("\u00a0", " ").startswith(message)


def test_text_is_read_exactly_and_an_unambiguous_fraction_separator_is_fine():
    # Read as decimal, never through a float (which would give …992), whatever the bound.
    assert parse_whole_number("9007199254740993.0", limit=2**60) == (9007199254740993, None)
    assert parse_whole_number("0,500")[1].kind == "fractional"  # nobody writes 0 thousand
    assert parse_whole_number("1 000 000") == (1000000, None)
    assert parse_whole_number("1000000000", limit=10**9) == (10**9, None)
    # Without a form's bound the portal's own ceiling holds (10^15).
    assert parse_whole_number(str(10**15 + 1))[1].kind == "too_large"


# Hard: a part never above its whole ---------------------------------------------------------


NAMES = {"VS.VISITS": "Число посещений вне стационара — всего"}


def test_part_above_its_whole_is_an_error_next_to_the_part_naming_the_whole():
    [finding] = hard_checks({"VS.VISITS": 10, "VS.VISITS.CHILD": 11}, PARENTS, NAMES)
    assert finding.severity == HARD and finding.is_hard
    assert finding.indicator == "VS.VISITS.CHILD"
    assert finding.code == "part_above_whole"
    # The line's name, as the operator reads it on the form, never its code.
    assert finding.message == (
        "Часть («из них»: 11) больше целого «Число посещений вне стационара — всего» (10)."
    )
    assert "VS." not in finding.message


def test_part_equal_to_its_whole_or_empty_is_fine():
    assert hard_checks({"VS.VISITS": 10, "VS.VISITS.CHILD": 10}, PARENTS) == []
    assert hard_checks({"VS.VISITS": 10, "VS.VISITS.CHILD": None}, PARENTS) == []
    assert hard_checks({"VS.VISITS": None, "VS.VISITS.CHILD": 0}, PARENTS) == []


def test_a_part_without_its_whole_counts_the_whole_as_zero():
    [finding] = hard_checks({"VS.EVENTS.OUTDOOR": 3}, PARENTS, {"VS.EVENTS": "Мероприятия"})
    assert finding.message == "Часть («из них»: 3) больше целого «Мероприятия» (0)."


# Soft: a jump of more than 50 % with a difference of at least 20 ---------------------------


@pytest.mark.parametrize(
    ("previous", "value", "warned"),
    [
        (40, 60, False),  # exactly +50 %: not more than half
        (40, 61, True),
        (100, 50, False),  # exactly −50 %
        (100, 49, True),
        (20, 39, False),  # +95 %, but a difference of 19
        (20, 40, True),  # +100 %, a difference of exactly 20
        (10, 1, False),  # −90 %, a difference of 9
        (1000, 1400, False),  # +40 %, a difference of 400
    ],
)
def test_jump_against_the_same_month_last_year(previous, value, warned):
    findings = soft_checks({"VS.LOANS": value}, {"VS.LOANS": previous}, month=3)
    assert codes(findings) == ([("VS.LOANS", "jump")] if warned else [])


def test_jump_message_gives_the_growth_and_both_figures():
    [finding] = soft_checks({"VS.VISITS": 180}, {"VS.VISITS": 100}, month=6)
    assert finding.severity == SOFT and not finding.is_hard
    assert finding.message == "Изменение на +80% к прошлому году (100 → 180)."


def test_no_warning_without_last_years_figure():
    assert soft_checks({"VS.LOANS": 500}, {}, month=3) == []
    assert soft_checks({"VS.LOANS": 500}, {"VS.LOANS": None}, month=3) == []


# Soft: identical to last year, dropped to zero, appeared from nothing ----------------------


def test_a_figure_above_ten_identical_to_last_year_is_a_warning():
    [finding] = soft_checks({"VS.LOANS": 11}, {"VS.LOANS": 11}, month=3)
    assert finding.code == "same_as_last_year"
    assert finding.message == "Значение в точности как в прошлом году (11)."


def test_a_small_count_or_a_stock_the_same_as_last_year_is_no_warning():
    # Four outdoor events in March two years running is no sign of a copied report, and a
    # stock (the service points) is meant to stay as it was.
    assert soft_checks({"VS.EVENTS.OUTDOOR": 10}, {"VS.EVENTS.OUTDOOR": 10}, month=3) == []
    points = {"VS.POINTS": 40}
    assert soft_checks(points, points, month=3, stocks={"VS.POINTS"}) == []
    assert codes(soft_checks(points, points, month=3)) == [("VS.POINTS", "same_as_last_year")]


def test_the_old_rule_is_a_setting_of_the_thresholds():
    every_figure = Thresholds(same_above=0, same_on_stocks=True)
    findings = soft_checks(
        {"VS.POINTS": 7, "VS.EVENTS": 3},
        {"VS.POINTS": 7, "VS.EVENTS": 3},
        month=3,
        stocks={"VS.POINTS"},
        thresholds=every_figure,
    )
    assert codes(findings) == [
        ("VS.EVENTS", "same_as_last_year"),
        ("VS.POINTS", "same_as_last_year"),
    ]
    assert findings[0].message == "Значение в точности как в прошлом году (7)."


def test_zero_both_years_is_no_warning():
    assert soft_checks({"VS.POINTS": 0}, {"VS.POINTS": 0}, month=3) == []


def test_drop_to_zero_is_a_warning():
    [finding] = soft_checks({"VS.KIBO_TRIPS": 0}, {"VS.KIBO_TRIPS": 3}, month=3)
    assert finding.code == "dropped_to_zero"
    assert finding.message == "Значение упало до нуля (в прошлом году: 3)."


def test_appearing_from_nothing_is_a_warning():
    [finding] = soft_checks({"VS.OUT_SITES": 2}, {"VS.OUT_SITES": 0}, month=3)
    assert finding.code == "appeared"
    assert finding.message == "Значение появилось с нуля (в прошлом году: 0, сейчас 2)."


# Soft: no outdoor events in June–August when there were some a year before -----------------


@pytest.mark.parametrize("month", [6, 7, 8])
def test_no_outdoor_events_in_summer_is_a_warning(month):
    findings = soft_checks({"VS.EVENTS.OUTDOOR": None}, {"VS.EVENTS.OUTDOOR": 4}, month=month)
    [finding] = findings
    assert finding.code == "no_outdoor_events"
    assert finding.indicator == "VS.EVENTS.OUTDOOR"
    assert finding.message == (
        "В летний месяц нет мероприятий под открытым небом, хотя в прошлом году их было 4."
    )


def test_zero_outdoor_events_in_summer_warns_twice_on_the_same_line():
    findings = soft_checks({"VS.EVENTS.OUTDOOR": 0}, {"VS.EVENTS.OUTDOOR": 4}, month=7)
    assert codes(findings) == [
        ("VS.EVENTS.OUTDOOR", "dropped_to_zero"),
        ("VS.EVENTS.OUTDOOR", "no_outdoor_events"),
    ]


@pytest.mark.parametrize(("month", "last_year"), [(5, 4), (9, 4), (6, 0), (6, None)])
def test_outdoor_events_rule_only_in_summer_after_a_summer_with_some(month, last_year):
    findings = soft_checks({}, {"VS.EVENTS.OUTDOOR": last_year}, month=month)
    assert "no_outdoor_events" not in {f.code for f in findings}


# Soft: attendance per event outside 2–300 --------------------------------------------------


@pytest.mark.parametrize(
    ("events", "attendance", "warned"),
    [
        (10, 20, False),  # exactly 2
        (10, 3000, False),  # exactly 300
        (10, 19, True),  # 1.9
        (10, 3001, True),  # 300.1
        (0, 50, False),  # no events: nothing to divide by
        (10, None, False),
    ],
)
def test_attendance_per_event(events, attendance, warned):
    findings = soft_checks({"VS.EVENTS": events, "VS.EVENT_ATT": attendance}, {}, month=3)
    assert codes(findings) == ([("VS.EVENT_ATT", "attendance_per_event")] if warned else [])


def test_attendance_per_event_message_uses_a_decimal_comma():
    [finding] = soft_checks({"VS.EVENTS": 10, "VS.EVENT_ATT": 19}, {}, month=3)
    assert finding.message == "1,9 посещений на одно мероприятие: ожидается от 2 до 300."


# Soft: fewer КИБО stops than trips ---------------------------------------------------------


@pytest.mark.parametrize(("trips", "stops", "warned"), [(5, 4, True), (5, 5, False), (5, 9, False)])
def test_fewer_kibo_stops_than_trips(trips, stops, warned):
    findings = soft_checks({"VS.KIBO_TRIPS": trips, "VS.KIBO_STOPS": stops}, {}, month=3)
    assert codes(findings) == ([("VS.KIBO_STOPS", "kibo_stops_below_trips")] if warned else [])


def test_kibo_message():
    [finding] = soft_checks({"VS.KIBO_TRIPS": 5, "VS.KIBO_STOPS": 4}, {}, month=3)
    assert finding.message == "Стоянок КИБО (4) меньше, чем выездов (5)."


# Together ----------------------------------------------------------------------------------


def test_run_checks_gives_hard_findings_first_then_soft():
    findings = run_checks(
        {"VS.VISITS": 10, "VS.VISITS.CHILD": 12, "VS.LOANS": 100},
        {"VS.LOANS": 10},
        parents=PARENTS,
        month=4,
    )
    assert [(f.severity, f.code) for f in findings] == [
        (HARD, "part_above_whole"),
        (SOFT, "jump"),
    ]


def test_clean_figures_give_no_finding():
    values = {
        "VS.VISITS": 300,
        "VS.VISITS.CHILD": 40,
        "VS.EVENTS": 10,
        "VS.EVENTS.OUTDOOR": 6,
        "VS.EVENT_ATT": 250,
        "VS.KIBO_TRIPS": 4,
        "VS.KIBO_STOPS": 12,
    }
    last_year = {
        "VS.VISITS": 290,
        "VS.EVENTS": 9,
        "VS.EVENTS.OUTDOOR": 5,
        "VS.EVENT_ATT": 240,
        "VS.KIBO_TRIPS": 3,
        "VS.KIBO_STOPS": 10,
    }
    assert run_checks(values, last_year, parents=PARENTS, month=7) == []


# The thresholds are the centre's: per form version, stocks in or out ----------------------


def test_a_jump_follows_the_thresholds_of_the_version():
    loose = Thresholds(jump_percent=100, jump_min_difference=50)
    assert soft_checks({"VS.LOANS": 61}, {"VS.LOANS": 40}, month=3, thresholds=loose) == []
    assert soft_checks({"VS.LOANS": 200}, {"VS.LOANS": 100}, month=3, thresholds=loose) == []
    [finding] = soft_checks({"VS.LOANS": 201}, {"VS.LOANS": 100}, month=3, thresholds=loose)
    assert finding.message == "Изменение на +101% к прошлому году (100 → 201)."


def test_stocks_can_be_left_out_of_the_jump_and_the_zero_checks():
    quiet = Thresholds(jump_on_stocks=False, zero_on_stocks=False)
    stocks = {"VS.POINTS", "VS.OUT_SITES"}
    figures, last_year = {"VS.POINTS": 40, "VS.OUT_SITES": 0}, {"VS.POINTS": 12, "VS.OUT_SITES": 6}
    assert soft_checks(figures, last_year, month=9, stocks=stocks, thresholds=quiet) == []
    # By default both still warn on stocks: a closed point is news for the centre.
    assert codes(soft_checks(figures, last_year, month=9, stocks=stocks)) == [
        ("VS.OUT_SITES", "dropped_to_zero"),
        ("VS.POINTS", "jump"),
    ]


def test_visits_per_event_follow_the_thresholds():
    narrow = Thresholds(attendance_min=10, attendance_max=50)
    figures = {"VS.EVENTS": 10, "VS.EVENT_ATT": 90}
    assert soft_checks(figures, {}, month=3, thresholds=narrow) != []
    [finding] = soft_checks(figures, {}, month=3, thresholds=narrow)
    assert finding.message == "9,0 посещений на одно мероприятие: ожидается от 10 до 50."


# Cross-checks the form implies ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("outdoor", "attendance", "warned"),
    [(10, 20, False), (10, 3000, False), (10, 19, True), (10, 3001, True), (0, 40, False)],
)
def test_visits_per_outdoor_event(outdoor, attendance, warned):
    figures = {"VS.EVENTS.OUTDOOR": outdoor, "VS.EVENT_ATT.OUTDOOR": attendance}
    findings = [f for f in soft_checks(figures, {}, month=3) if f.code != "no_outdoor_events"]
    expected = [("VS.EVENT_ATT.OUTDOOR", "outdoor_attendance_per_event")] if warned else []
    assert codes(findings) == expected


def test_visits_per_outdoor_event_message():
    figures = {"VS.EVENTS.OUTDOOR": 4, "VS.EVENT_ATT.OUTDOOR": 1400}
    [finding] = soft_checks(figures, {}, month=3)
    assert finding.message == (
        "350,0 посещений на одно мероприятие под открытым небом: ожидается от 2 до 300."
    )


def test_visits_of_events_above_all_visits_is_an_error_naming_the_whole():
    names = {"VS.VISITS": "Число посещений вне стационара — всего"}
    [finding] = cross_checks({"VS.VISITS": 2500, "VS.EVENT_ATT": 2501}, names)
    assert (finding.indicator, finding.code, finding.severity) == (
        "VS.EVENT_ATT",
        "event_visits_above_visits",
        HARD,
    )
    assert finding.message == (
        "Посещений мероприятий (2501) больше, чем «Число посещений вне стационара — всего» "
        "(2500), хотя они входят в число всех посещений."
    )
    assert cross_checks({"VS.VISITS": 2500, "VS.EVENT_ATT": 2500}, names) == []
    # A form without one of the lines says nothing about them.
    assert cross_checks({"VS.EVENT_ATT": 2501}, names) == []
    hard = run_checks({"VS.VISITS": 10, "VS.EVENT_ATT": 11}, {}, parents={}, month=3)
    assert [f.code for f in hard if f.is_hard] == ["event_visits_above_visits"]
