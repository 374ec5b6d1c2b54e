"""The secretary's meeting page fits a 1,280 px window, with every inline open, in Chromium."""

import pytest

from kernel import roles
from tests.helpers import make_user

from .conftest import csp_problems, screenshot
from .test_minutes_flow import log_in_admin

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.e2e]

WINDOW = {"width": 1280, "height": 900}


def overflowing(page) -> list[str]:
    """The elements wider than the window, for the message of a failing test."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .slice(0, 15)
            .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className}: `
                      + Math.round(e.getBoundingClientRect().right))"""
    )


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def scrolled_inlines(page) -> list[str]:
    """The inlines whose table is wider than its box (it would scroll there)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.inline-group fieldset.module')]
            .filter(f => f.scrollWidth > f.clientWidth + 1)
            .map(f => f.closest('.inline-group').id)"""
    )


@pytest.fixture
def secretary_page(page):
    from demo.club import demo_load

    demo_load()
    make_user("sekretar", group=roles.SECRETARY, password="Sekretar-2026!")
    page.set_viewport_size(WINDOW)
    log_in_admin(page, "sekretar", "Sekretar-2026!")
    return page


def test_the_demo_meeting_page_fits_1280_px(secretary_page):
    from meetings.models import Meeting

    page = secretary_page
    demo = Meeting.objects.get(slug="2021-06-23")
    page.goto(f"/admin/meetings/meeting/{demo.pk}/change/")
    page.wait_for_selector("#resolutions-group")
    # A new row of each inline too: the empty forms are as wide as the filled ones.
    for group in ("agenda_items", "attendances", "attachments", "resolutions"):
        page.click(f"#{group}-group .add-row a")
    screenshot(page, "admin-meeting-1280")
    assert page_width(page) <= WINDOW["width"], overflowing(page)
    assert scrolled_inlines(page) == []  # fitted, not hidden in a scrolling box
    assert csp_problems(page) == []


def test_a_new_meeting_page_fits_1280_px(secretary_page):
    page = secretary_page
    page.goto("/admin/meetings/meeting/add/")
    for group in ("agenda_items", "attendances", "attachments", "resolutions"):
        page.click(f"#{group}-group .add-row a")
    screenshot(page, "admin-meeting-add-1280")
    assert page_width(page) <= WINDOW["width"], overflowing(page)
    assert scrolled_inlines(page) == []  # fitted, not hidden in a scrolling box
    assert csp_problems(page) == []
