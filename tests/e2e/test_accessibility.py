"""axe-core in Chromium on every public page: no WCAG 2.1 A/AA violation, no CSP violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import csp_problems, screenshot

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.e2e]

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

PAGES = [
    ("home", "/"),
    ("archive", "/meetings/"),
    ("archive-search", "/meetings/?q=методист&year=2021"),
    ("meeting", "/meetings/2021-06-23/"),
    ("resolutions", "/resolutions/"),
    ("resolution", None),
    ("members", "/members/"),
    ("member", None),
    ("statistics", "/stats/"),
    ("login", "/accounts/login/"),
    ("not-found", "/meetings/no-such-meeting/"),
]


@pytest.fixture
def demo_pages(db):
    from demo.club import demo_load

    meeting = demo_load().meeting
    item = meeting.resolutions.get(section=2, number=1)
    member = item.meeting.resolutions.get(kind="admission").admissions.first().member
    return {"resolution": f"/resolutions/{item.pk}/", "member": f"/members/{member.pk}/"}


@pytest.mark.parametrize(("name", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_public_page_has_no_accessibility_violations(page, demo_pages, name, url):
    response = page.goto(url or demo_pages[name])
    assert response.status == (404 if name == "not-found" else 200)
    results = Axe().run(page, options=WCAG)
    violations = [
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    screenshot(page, f"public-{name}")
    assert violations == []
    assert csp_problems(page) == []


def test_forms_are_keyboard_navigable(page, demo_pages):
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
