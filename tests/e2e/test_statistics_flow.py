"""An operator submits June's figures in the browser; the centre accepts; /stats/ counts them."""

import pytest

from kernel import roles
from members.models import Municipality, Organization
from stats.models import Report
from tests.helpers import CLEAN_JUNE, LAST_JUNE, make_operator, make_report, make_user

from .conftest import csp_problems, screenshot, watched

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.e2e]


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form [type=submit]:has-text('Войти')")


def test_operator_submits_and_the_centre_accepts(page, browser, live_server):
    municipality = Municipality.objects.create(name="Юргинский городской округ")
    cbs = Organization.objects.create(short_name="ЦБС г. Юрги", municipality=municipality)
    operator = make_operator(cbs, "operator-yurga")
    operator.set_password("Operator-2026!")
    operator.save()
    make_user("centre-e2e", group=roles.CENTRE_METHODIST, password="Centre-2026!")
    make_report(cbs, 2024, 6, LAST_JUNE, status=Report.Status.ACCEPTED)

    log_in(page, "operator-yurga", "Operator-2026!")
    page.wait_for_url("**/stats/reports/")
    page.select_option("#id_year", "2025")
    page.select_option("#id_month", "6")
    page.click("form [type=submit]:has-text('Открыть отчёт')")
    page.wait_for_url("**/stats/reports/*/")
    report = Report.objects.get(organization=cbs, period__year=2025, period__month=6)

    figures = dict(CLEAN_JUNE, **{"VS.EVENTS.OUTDOOR": "200", "VS.EVENTS": "250"})
    for code, value in figures.items():
        page.fill(f"[name='{code}']", str(value))
    page.click("[name=save_submit]")
    # A jump against last June: a warning that needs an explanation, the report stays a draft.
    page.wait_for_selector("textarea[name='explain_VS.EVENTS.OUTDOOR']")
    screenshot(page, "operator-report-warning")
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    for textarea in page.locator("textarea[name^='explain_']").all():
        textarea.fill("Открыты три новые площадки в парках города.")
    page.click("[name=save_submit]")
    page.wait_for_selector("text=Отчёт сдан в методический центр")
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert csp_problems(page) == []

    centre_context = browser.new_context(base_url=live_server.url)
    centre = watched(centre_context.new_page())
    log_in(centre, "centre-e2e", "Centre-2026!")
    centre.wait_for_url("**/stats/review/")
    centre.goto("/stats/review/?year=2025")
    centre.click(f"a[href='/stats/review/{report.pk}/']")
    assert "Открыты три новые площадки" in centre.content()
    screenshot(centre, "centre-review")
    centre.click("#accept-form button")
    centre.wait_for_selector("text=Отчёт принят")
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED

    centre.goto("/stats/?year=2025")
    assert "200" in centre.content()
    screenshot(centre, "statistics-dashboard")
    assert csp_problems(centre) == []
    centre_context.close()
