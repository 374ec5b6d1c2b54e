"""The indicators a decision aims to move: the model, and the latest figures the report on open
decisions shows (stats.selectors.latest_target_figures)."""

import pytest

from demo.club import demo_load
from demo.statistics import demo_statistics_load
from resolutions.models import Resolution
from stats.models import DecisionTarget, Indicator
from stats.region_figures import seasons
from stats.selectors import latest_target_figures
from tests.helpers import make_meeting, make_resolution

pytestmark = pytest.mark.django_db

OUTDOOR = ("VS.EVENTS.OUTDOOR", "VS.EVENT_ATT.OUTDOOR")


def link(resolution, *codes):
    for code in codes:
        DecisionTarget.objects.create(
            resolution=resolution, indicator=Indicator.objects.get(code=code)
        )


@pytest.fixture
def demo_figures(db):
    demo_load()
    demo_statistics_load()


def outdoor_note():
    return Resolution.objects.get(
        meeting__slug="2021-06-23", section=Resolution.Section.RESOLVED, number=2
    )


def test_latest_figures_are_the_last_summer_of_stats(demo_figures, django_assert_num_queries):
    note = outdoor_note()
    other = Resolution.objects.get(
        meeting__slug="2021-06-23", section=Resolution.Section.DECISIONS, number=2
    )
    DecisionTarget.objects.filter(resolution=note).delete()
    link(note, *OUTDOOR)
    link(other, "VS.OUT_SITES")
    summer = seasons()[2025]
    with django_assert_num_queries(2):
        figures = latest_target_figures([note.pk, other.pk, 10**6])
    assert figures[10**6] == []
    events, attendance = figures[note.pk]
    assert (events.code, events.year, events.value) == (
        "VS.EVENTS.OUTDOOR",
        2025,
        summer.values["outdoor_events"],
    )
    assert attendance.value == summer.values["outdoor_attendance"]
    assert events.period == "Лето 2025 года (июнь–август)"
    assert events.unit == "ед."
    assert events.growth_text.startswith(("+", "−"))
    [sites] = figures[other.pk]
    assert sites.value == summer.values["sites"]


def test_latest_figures_without_targets_or_figures(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert latest_target_figures([]) == {}
    resolution = make_resolution(make_meeting(), kind=Resolution.Kind.DECISION)
    with django_assert_num_queries(1):
        assert latest_target_figures([resolution.pk]) == {resolution.pk: []}
    link(resolution, "VS.KIBO_TRIPS")
    [figure] = latest_target_figures([resolution.pk])[resolution.pk]
    assert (figure.year, figure.value, figure.period, figure.growth_text) == (None, None, "", "")
    assert figure.name == "Число выездов КИБО"
