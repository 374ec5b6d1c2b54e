"""axe-core in Chromium on every public page, on a desktop and on a phone: no WCAG 2.1 A/AA
violation, no CSP violation, and no page wider than the screen it is read on."""

import pytest

from tests.clubportal.test_public_pages import public_urls

from .conftest import axe_violations, csp_problems, screenshot

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.e2e]

# A desktop, and a phone held upright (an iPhone's 375 CSS pixels, the narrowest common one).
WIDTHS = {"desktop": 1280, "phone": 375}


@pytest.fixture
def public_pages(db) -> dict[str, str]:
    """Every public page, with the demo minutes and the demo statistics behind them (the
    statistics' wide tables are what a phone has to scroll)."""
    # The same pages the Nu checker reads (tests/clubportal/test_public_pages.py).
    return public_urls()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_no_public_page_has_an_accessibility_violation_or_runs_wider_than_the_screen(
    page, public_pages, width
):
    page.set_viewport_size({"width": width, "height": 800})
    violations, too_wide, problems = {}, {}, {}
    for name, url in public_pages.items():
        response = page.goto(url)
        assert response.status == (404 if name == "not-found" else 200), url
        if found := axe_violations(page):
            violations[name] = found
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[name] = scroll_width
        if csp := csp_problems(page):
            problems[name] = csp
        page.problems.clear()
        screenshot(page, f"public-{name}-{width}")
    assert violations == {}
    assert too_wide == {}
    assert problems == {}


def test_a_scrolling_table_on_a_phone_is_reached_and_scrolled_by_keyboard(page, public_pages):
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto("/stats/")
    region = page.get_by_role("region", name="Летние сезоны по годам, регион в целом")
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # it does scroll here
    page.keyboard.press("ArrowRight")
    # Chromium scrolls smoothly: the table moves within a moment, not at once.
    region.evaluate(
        "e => new Promise((done, fail) => {"
        " const t = Date.now();"
        " (function wait() { if (e.scrollLeft > 0) done(); else if (Date.now() - t > 5000)"
        " fail(new Error('the table did not scroll')); else requestAnimationFrame(wait); })();"
        "})"
    )


def test_forms_are_keyboard_navigable(page, public_pages):
    page.goto("/meetings/")
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.textContent").strip() == "Перейти к содержанию"
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("методист")
    page.keyboard.press("Enter")
    page.wait_for_url("**/meetings/?*q=*")
    assert "Практика методической работы" in page.content()
