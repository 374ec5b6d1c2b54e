"""The centre runs the collection in the browser: the board, its filter, the review queue's
next and previous, a report returned; the operator finds it first in her to-do, corrects it
and submits it again, and the centre sees what changed."""

import pytest
from django.utils import timezone

from kernel import roles
from members.models import Municipality, Organization
from stats import services
from stats.models import Report
from tests.helpers import CLEAN_JUNE, LAST_JUNE, make_operator, make_report, make_user

from .conftest import axe_violations, csp_problems, screenshot, watched
from .test_statistics_flow import log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.e2e]


def violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, as on the public pages."""
    return axe_violations(page)


def test_the_centre_returns_a_report_from_the_queue_and_the_operator_resubmits_it(
    page, browser, live_server
):
    # Last year's months are all over and due, whatever today is.
    year = timezone.localdate().year - 1
    yurga = Organization.objects.create(
        short_name="ЦБС г. Юрги",
        municipality=Municipality.objects.create(name="Юргинский городской округ"),
    )
    taiga = Organization.objects.create(
        short_name="МИБС Тайги",
        municipality=Municipality.objects.create(name="Тайгинский городской округ"),
    )
    Organization.objects.create(
        short_name="ЦБС г. Мыски",
        municipality=Municipality.objects.create(name="Мысковский городской округ"),
    )
    operator = make_operator(yurga, "operator-yurga")
    operator.set_password("Operator-2026!")
    operator.save()
    make_user("centre-e2e", group=roles.CENTRE_METHODIST, password="Centre-2026!")
    make_report(yurga, year - 1, 6, LAST_JUNE, status=Report.Status.ACCEPTED)
    june = make_report(yurga, year, 6, CLEAN_JUNE)
    may = make_report(taiga, year, 5, CLEAN_JUNE)
    for report in (june, may):  # June waits longest, then May
        services.report_submit(report=report, user=operator)

    # The centre's board, filtered to what awaits review.
    log_in(page, "centre-e2e", "Centre-2026!")
    page.wait_for_url("**/stats/review/")
    page.select_option("#id_year", str(year))
    page.select_option("#id_show", "awaiting")
    page.click("#board-filter-submit")
    page.wait_for_url("**show=awaiting**")
    rows = page.locator("#board tbody th[scope=row]").all_inner_texts()
    assert [row.splitlines()[0] for row in rows] == ["МИБС Тайги", "ЦБС г. Юрги"]
    assert page.locator("#board td.border-dark").count() == 2
    screenshot(page, "centre-board-awaiting")
    assert violations(page) == []

    # The queue: the first report, then next and previous without the board.
    page.click("#board-links a:has-text('Очередь на проверку')")
    page.wait_for_url("**/stats/review/queue/")
    assert violations(page) == []
    page.click("#queue-start")
    page.wait_for_url(f"**/stats/review/{june.pk}/")
    assert "отчёт 1 из 2, ждущих проверки" in page.inner_text("#queue-nav")
    assert violations(page) == []
    page.click("#queue-next")
    page.wait_for_url(f"**/stats/review/{may.pk}/")
    assert "отчёт 2 из 2, ждущих проверки" in page.inner_text("#queue-nav")
    page.click("#queue-previous")
    page.wait_for_url(f"**/stats/review/{june.pk}/")

    # Returned with a comment; the reviewer goes on to the next report.
    page.fill("#return-form textarea[name=comment]", "Выездов КИБО 9 — проверьте путевые листы.")
    page.click("#return-form [type=submit]")
    page.wait_for_url(f"**/stats/review/{may.pk}/")
    assert "Следующий в очереди на проверку: МИБС Тайги" in page.content()
    june.refresh_from_db()
    assert june.status == Report.Status.RETURNED
    assert csp_problems(page) == []

    # The operator: her returned June comes first among the months to do.
    operator_context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    library = watched(operator_context.new_page())
    log_in(library, "operator-yurga", "Operator-2026!")
    library.wait_for_url("**/stats/reports/")
    returned_row = library.locator("#todo tbody tr", has_text="возвращён на доработку")
    assert "Выездов КИБО 9 — проверьте путевые листы." in returned_row.inner_text()
    screenshot(library, "operator-to-do")
    assert violations(library) == []
    returned_row.locator("a:has-text('Исправить')").click()
    library.wait_for_url(f"**/stats/reports/{june.pk}/")
    library.fill("[name='VS.KIBO_TRIPS']", "8")
    library.click("[name=save_submit]")
    library.wait_for_selector("text=Отчёт сдан в методический центр")
    june.refresh_from_db()
    assert june.status == Report.Status.SUBMITTED
    assert csp_problems(library) == []
    operator_context.close()

    # Back on the centre's side: June is in the queue again, with what changed.
    page.goto(f"/stats/review/{june.pk}/")
    changes = page.inner_text("#changes")
    assert "VS.KIBO_TRIPS" in changes and "9" in changes and "8" in changes
    assert "отчёт 2 из 2, ждущих проверки" in page.inner_text("#queue-nav")
    screenshot(page, "centre-changes-since-return")
    assert violations(page) == []
