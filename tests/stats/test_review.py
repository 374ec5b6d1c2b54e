"""The centre's pages: the board of reports, one report's review, and its decisions."""

import re

import pytest
from django.test import Client

from members.models import Organization
from stats import services
from stats.models import ImportLog, Report, ReportingPeriod, ReportTransition
from tests.formscrape import form_data
from tests.helpers import (
    CLEAN_JUNE,
    LAST_JUNE,
    make_municipality,
    make_operator,
    make_organization,
    make_report,
    pinned_clock,
    stored_values,
)
from tests.stats.test_entry import page_text, post_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_client(client, centre_methodist):
    client.force_login(centre_methodist)
    return client


@pytest.fixture
def cbs():
    return make_organization("ЦБС Юргинского округа", municipality=make_municipality("Юргинский"))


@pytest.fixture
def submitted_june(cbs):
    operator = make_operator(cbs, "operator-yurga")
    make_report(cbs, 2024, 6, LAST_JUNE, status=Report.Status.ACCEPTED)
    report = make_report(cbs, 2025, 6)
    figures = {**CLEAN_JUNE, "VS.EVENT_ATT": 2400}
    services.report_save_values(
        report=report,
        values=figures,
        explanations={"VS.EVENT_ATT": "Районный праздник книги в парке."},
        user=operator,
    )
    return services.report_submit(report=report, user=operator)


def review_url(report):
    return f"/stats/review/{report.pk}/"


def action(client, report, name, **data):
    return client.post(f"/stats/review/{report.pk}/{name}/", data, follow=True)


def board_cells(response):
    """Organisation → the twelve cells of its row, as text."""
    body = response.content.decode()
    table = body[body.index('id="board"') :]
    tbody = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S):
        head = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        if not head:
            continue
        name = re.sub(r"<div.*", "", head.group(1), flags=re.S).strip()
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        rows[name] = cells
    return rows


# Who may come in ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/stats/review/", "/stats/review/1/"])
def test_anonymous_visitor_is_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_secretary_gets_403(client, secretary, submitted_june):
    client.force_login(secretary)
    assert client.get("/stats/review/").status_code == 403
    assert client.get(review_url(submitted_june)).status_code == 403
    assert client.post(f"/stats/review/{submitted_june.pk}/accept/").status_code == 403
    submitted_june.refresh_from_db()
    assert submitted_june.status == Report.Status.SUBMITTED


def test_unknown_action_is_404_and_get_is_405(centre_client, submitted_june):
    assert centre_client.post(f"/stats/review/{submitted_june.pk}/delete/").status_code == 404
    assert centre_client.get(f"/stats/review/{submitted_june.pk}/accept/").status_code == 405
    assert centre_client.post("/stats/review/999999/accept/").status_code == 404


# The board ---------------------------------------------------------------------------------


@pytest.fixture
def july_2025():
    """20 July 2025: June is due since the 5th (15 days overdue), July is not over."""
    with pinned_clock(2025, 7, 20):
        yield


def test_board_shows_each_months_status_and_overdue_marks(
    centre_client, cbs, july_2025, submitted_june
):
    mibs = make_organization("МИБС Тайги", kind=Organization.Kind.MIBS)
    make_organization("ГНБК им. В.Д. Федорова", kind=Organization.Kind.REGIONAL)
    make_report(cbs, 2025, 5, CLEAN_JUNE, status=Report.Status.ACCEPTED)
    make_report(cbs, 2025, 4, status=Report.Status.RETURNED)
    make_report(mibs, 2025, 6, status=Report.Status.DRAFT)
    make_report(mibs, 2024, 6, status=Report.Status.LOCKED)

    response = centre_client.get("/stats/review/?year=2025")
    assert response.status_code == 200
    cells = board_cells(response)
    assert set(cells) == {"ЦБС Юргинского округа", "МИБС Тайги"}  # no regional library
    yurga, taiga = cells["ЦБС Юргинского округа"], cells["МИБС Тайги"]
    # April was due on 5 May: 76 days ago.
    assert yurga[3] == "возвращён ! 76 дн. просрочено на 76 дней"
    assert yurga[4] == "принят"
    assert yurga[5] == "сдан"
    # January 2025: nothing, due on 5 February, and a link to enter it for the library.
    assert yurga[0] == "— внести отчёт за библиотеку ! 165 дн. просрочено на 165 дней"
    assert taiga[5] == "черновик ! 15 дн. просрочено на 15 дней"
    # July is not over yet: nothing owed, nothing overdue.
    assert yurga[6] == "—"
    assert f'href="/stats/review/{submitted_june.pk}/"' in response.content.decode()
    # 2024 is another year: the locked June 2024 is not on this board.
    assert "закрыт" not in " ".join(taiga)
    assert "закрыт" in " ".join(
        board_cells(centre_client.get("/stats/review/?year=2024"))["МИБС Тайги"]
    )


def test_board_shows_each_months_due_date(centre_client, cbs, july_2025):
    services.period_for(year=2025, month=6)
    ReportingPeriod.objects.filter(year=2025, month=6).update(due_date="2025-07-10")
    text = page_text(centre_client.get("/stats/review/?year=2025"))
    # The centre's own due date for June, the default (the 5th of the next month) elsewhere.
    assert "Янв до 5 февраля" not in text  # the months and the due dates are two rows
    assert "до 5 февраля" in text and "до 10 июля" in text and "до 5 января" in text
    assert (
        board_cells(centre_client.get("/stats/review/?year=2025"))["ЦБС Юргинского округа"][5]
        == "— внести отчёт за библиотеку ! 10 дн. просрочено на 10 дней"
    )


def test_months_before_the_collection_or_without_a_form_version_are_not_owed(
    centre_client, cbs, july_2025
):
    # The collection starts with its first reporting period: March 2025 here.
    services.period_for(year=2025, month=3)
    yurga = board_cells(centre_client.get("/stats/review/?year=2025"))["ЦБС Юргинского округа"]
    assert yurga[:2] == ["—", "—"]
    assert yurga[2].startswith("— внести отчёт за библиотеку ! ")
    assert (
        board_cells(centre_client.get("/stats/review/?year=2024"))["ЦБС Юргинского округа"]
        == ["—"] * 12
    )


@pytest.fixture
def region(cbs, july_2025, submitted_june):
    """Three library systems in July 2025: one awaiting review, one returned, one silent."""
    taiga = make_organization("МИБС Тайги", municipality=make_municipality("Тайгинский"))
    make_organization("ЦБС Мысков", municipality=make_municipality("Мысковский"))
    make_report(taiga, 2025, 5, CLEAN_JUNE, status=Report.Status.RETURNED)
    for month in range(1, 7):
        if month != 5:
            make_report(taiga, 2025, month, CLEAN_JUNE, status=Report.Status.ACCEPTED)
    for month in range(1, 6):
        make_report(cbs, 2025, month, CLEAN_JUNE, status=Report.Status.ACCEPTED)
    return taiga


@pytest.mark.parametrize(
    ("show", "rows", "marked"),
    [
        ("awaiting", {"ЦБС Юргинского округа"}, {("ЦБС Юргинского округа", 6)}),
        ("returned", {"МИБС Тайги"}, {("МИБС Тайги", 5)}),
        ("overdue", {"МИБС Тайги", "ЦБС Мысков"}, {("МИБС Тайги", 5)}),
        ("not_started", {"ЦБС Мысков"}, set()),
    ],
)
def test_board_filters_pick_out_the_months_and_keep_the_rows_with_them(
    centre_client, region, show, rows, marked
):
    response = centre_client.get(f"/stats/review/?year=2025&show={show}")
    assert set(board_cells(response)) == rows
    picked = set(re.findall(r'<td class="[^"]*border-dark[^"]*">', response.content.decode()))
    assert picked, show
    if marked:
        body = response.content.decode()
        for name, month in marked:
            row = re.search(rf"{name}.*?</tr>", body, re.S).group(0)
            cells = re.findall(r'<td class="([^"]*)">', row)
            assert "border-dark" in cells[month - 1], (name, month)


def test_board_counts_what_each_filter_picks_out_and_links_to_it(centre_client, region):
    response = centre_client.get("/stats/review/?year=2025")
    counts = page_text_of(
        re.search(r'id="board-counts">(.*?)</p>', response.content.decode(), re.S).group(1)
    )
    # Mysky owes January–June: six months, all overdue; Taiga's May is returned and overdue.
    assert " ".join(counts.split()) == (
        "Ждут проверки: 1 · Возвращены: 1 · Просрочены: 7 · Не начаты: 6"
    )
    assert 'href="?year=2025&amp;form=VS&amp;show=not_started"' in response.content.decode()


def test_a_filter_can_look_at_one_month(centre_client, region):
    response = centre_client.get("/stats/review/?year=2025&show=overdue&month=5")
    assert set(board_cells(response)) == {"МИБС Тайги", "ЦБС Мысков"}
    response = centre_client.get("/stats/review/?year=2025&show=awaiting&month=5")
    assert 'id="board"' not in response.content.decode()
    assert "Ни у одной библиотечной системы нет отчётов, подходящих под фильтр." in page_text(
        response
    )


def test_a_bad_filter_falls_back_to_the_whole_board(centre_client, region):
    response = centre_client.get("/stats/review/?year=2025&show=<script>&month=13")
    assert response.status_code == 200
    assert len(board_cells(response)) == 3


def test_board_links_to_the_queue_the_exports_and_the_accounts(centre_client, cbs):
    body = centre_client.get("/stats/review/?year=2024").content.decode()
    links = re.search(r'id="board-links">(.*?)</ul>', body, re.S).group(1)
    for href in (
        "/stats/review/queue/",
        "/stats/review/enter/",
        "/stats/review/operators/",
        "/stats/export/summary-2024.xlsx",
        "/stats/export/accepted.xlsx",
    ):
        assert f'href="{href}"' in links, href
    assert "Свод за 2024 год (Excel)" in page_text_of(links)


def test_board_has_no_overdue_marks_before_the_deadline(centre_client, cbs):
    with pinned_clock(2025, 12, 3):
        services.period_for(year=2025, month=1)
        yurga = board_cells(centre_client.get("/stats/review/?year=2025"))["ЦБС Юргинского округа"]
    # November is over but due on 5 December; December is not over.
    assert yurga[10] == "— внести отчёт за библиотеку"
    assert yurga[11] == "—"


def test_board_filters_by_municipality(centre_client, cbs, submitted_june):
    other = make_organization(
        "ЦБС Таштагольского района", municipality=make_municipality("Таштагол")
    )
    response = centre_client.get(f"/stats/review/?year=2025&municipality={cbs.municipality_id}")
    assert set(board_cells(response)) == {"ЦБС Юргинского округа"}
    response = centre_client.get(f"/stats/review/?year=2025&municipality={other.municipality_id}")
    assert set(board_cells(response)) == {"ЦБС Таштагольского района"}


def test_board_counts_the_submitted_reports_of_each_month(centre_client, cbs, submitted_june):
    make_organization("МИБС Тайги", kind=Organization.Kind.MIBS)
    text = page_text(centre_client.get("/stats/review/?year=2025"))
    assert "1 из 2" in text and "0 из 2" in text


def test_a_bad_year_falls_back_to_the_current_one(centre_client, cbs):
    with pinned_clock(2025, 7, 20):
        response = centre_client.get("/stats/review/?year=abc")
    assert response.status_code == 200
    assert "Отчёты библиотечных систем, 2025" in page_text(response)


@pytest.mark.parametrize("organizations", [3, 30])
@pytest.mark.parametrize("show", ["", "overdue"])
def test_board_query_count_does_not_grow(
    centre_client, organizations, show, django_assert_num_queries
):
    municipality = make_municipality("Кемеровский")
    with pinned_clock(2025, 7, 20):
        for n in range(organizations):
            org = make_organization(f"ЦБС № {n}", municipality=municipality)
            for month in (1, 2, 3):
                make_report(org, 2025, month, status=Report.Status.SUBMITTED)
        # session, user, the centre's group (2), the versions, the municipalities of the
        # filter, the organisations, the periods, the reports, the messages' session...
        with django_assert_num_queries(11):
            response = centre_client.get(f"/stats/review/?year=2025&show={show}")
    assert response.status_code == 200
    assert len(board_cells(response)) == organizations


# The review queue --------------------------------------------------------------------------


def submit_for(organization, year, month, user):
    report = make_report(organization, year, month, CLEAN_JUNE)
    return services.report_submit(report=report, user=user)


@pytest.fixture
def queue_of_three(cbs, centre_methodist):
    """Three reports awaiting review, submitted on three days: May, March, April 2025."""
    taiga = make_organization("МИБС Тайги")
    operator = make_operator(cbs, "operator-yurga")
    reports = []
    for day, (organization, month) in enumerate([(cbs, 5), (taiga, 3), (cbs, 4)], start=6):
        with pinned_clock(2025, 6, day):
            reports.append(submit_for(organization, 2025, month, operator))
    return reports


def test_the_queue_lists_the_reports_awaiting_review_longest_waiting_first(
    centre_client, queue_of_three, cbs
):
    make_report(cbs, 2025, 1, CLEAN_JUNE, status=Report.Status.ACCEPTED)
    response = centre_client.get("/stats/review/queue/")
    assert response.status_code == 200
    body = response.content.decode()
    table = body[body.index('id="queue"') :]
    order = [int(pk) for pk in re.findall(r'href="/stats/review/(\d+)/"', table)]
    assert order == [r.pk for r in queue_of_three]
    text = page_text(response)
    assert "3 отчёта ждут проверки" in text
    assert "Май 2025" in text and "6 июня 2025, 12:00" in text
    assert 'id="queue-start"' in body and f'href="/stats/review/{queue_of_three[0].pk}/"' in body


def test_an_empty_queue_says_so(centre_client):
    assert "Отчётов, ждущих проверки, нет." in page_text(centre_client.get("/stats/review/queue/"))


def test_the_review_page_goes_to_the_next_and_previous_report_in_the_queue(
    centre_client, queue_of_three
):
    first, second, third = queue_of_three
    body = centre_client.get(review_url(second)).content.decode()
    nav = page_text_of(re.search(r'id="queue-nav"(.*?)</nav>', body, re.S).group(1))
    assert "отчёт 2 из 3, ждущих проверки" in nav
    assert re.search(rf'href="/stats/review/{first.pk}/" rel="prev"', body)
    assert re.search(rf'href="/stats/review/{third.pk}/" rel="next"', body)
    assert "← Назад: ЦБС Юргинского округа, Май 2025" in nav
    assert "Вперёд: ЦБС Юргинского округа, Апрель 2025 →" in nav
    # The ends of the queue have one neighbour each.
    body = centre_client.get(review_url(first)).content.decode()
    assert 'rel="prev"' not in body and 'rel="next"' in body
    body = centre_client.get(review_url(third)).content.decode()
    assert 'rel="prev"' in body and 'rel="next"' not in body


def test_a_decision_goes_on_to_the_next_report_in_the_queue(centre_client, queue_of_three):
    first, second, third = queue_of_three
    response = action(centre_client, first, "accept")
    assert response.redirect_chain[-1][0] == review_url(second)
    text = page_text(response)
    assert "Отчёт принят." in text
    assert "Следующий в очереди на проверку: МИБС Тайги, март 2025." in text
    assert "отчёт 1 из 2, ждущих проверки" in text
    data = {"comment": "Проверьте число стоянок."}
    response = action(centre_client, second, "return", **data)
    assert response.redirect_chain[-1][0] == review_url(third)
    # The last one decided, the page stays on it and the queue is empty.
    response = action(centre_client, third, "accept")
    assert response.redirect_chain[-1][0] == review_url(third)
    assert "этот отчёт не ждёт проверки; ждут 0 отчётов" in page_text(response)
    assert [
        r.status
        for r in Report.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by(
            "period__month"
        )
    ] == ["returned", "accepted", "accepted"]


@pytest.mark.parametrize("waiting", [2, 20])
def test_queue_and_review_page_query_counts_do_not_grow(
    centre_client, cbs, centre_methodist, waiting, django_assert_num_queries
):
    organizations = [make_organization(f"ЦБС № {n}") for n in range(waiting)]
    reports = [submit_for(org, 2025, 6, centre_methodist) for org in organizations]
    # session, user, the centre's permissions (3), the queue, the menu's operator account
    with django_assert_num_queries(7):
        assert centre_client.get("/stats/review/queue/").status_code == 200
    with django_assert_num_queries(16):
        assert centre_client.get(review_url(reports[1])).status_code == 200


# One report --------------------------------------------------------------------------------


def test_review_page_shows_figures_last_year_growth_warnings_and_history(
    centre_client, submitted_june
):
    ImportLog.objects.create(
        report=submitted_june,
        filename="июнь-2025.xlsx",
        outcome=ImportLog.Outcome.REJECTED,
        errors=[{"sheet": "Отчёт", "row": 7, "column": "D", "message": "«пять» — не число."}],
    )
    response = centre_client.get(review_url(submitted_june))
    assert response.status_code == 200
    text = page_text(response)
    body = response.content.decode()
    row = re.search(r"VS\.EVENT_ATT</span>.*?</tr>", body, re.S).group(0)
    row_text = page_text_of(row)
    assert "2400" in row_text and "1500" in row_text and "+60 %" in row_text
    assert "Изменение на +60% к прошлому году (1500 → 2400)." in row_text
    assert "Районный праздник книги в парке." in row_text
    assert "+4 %" in page_text_of(re.search(r"VS\.VISITS</span>.*?</tr>", body, re.S).group(0))
    # History: who and when.
    assert "черновик → сдан" in text
    assert "operator-yurga" in text
    # The import log with its errors.
    assert "июнь-2025.xlsx" in text and "«пять» — не число." in text
    # A submitted report can be accepted or returned, not reopened or closed.
    assert 'id="accept-form"' in body and 'id="return-form"' in body
    assert 'id="reopen-form"' not in body and 'id="lock-form"' not in body
    assert "<script" not in body and 'style="' not in body


def page_text_of(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def test_review_page_query_count_does_not_grow(
    centre_client, centre_methodist, submitted_june, django_assert_num_queries
):
    def count():
        # ...the report's place in the review queue (3), its figures when it was returned
        with django_assert_num_queries(18):
            assert centre_client.get(review_url(submitted_june)).status_code == 200

    services.report_return(report=submitted_june, user=centre_methodist, comment="Уточните")
    services.report_submit(report=submitted_june, user=centre_methodist)
    count()
    for _ in range(3):
        services.report_return(report=submitted_june, user=centre_methodist, comment="Уточните")
        services.report_submit(report=submitted_june, user=centre_methodist)
        ImportLog.objects.create(report=submitted_june, filename="x.xlsx", outcome="rejected")
    count()


def test_return_without_a_comment_is_refused_next_to_the_field(centre_client, submitted_june):
    response = centre_client.post(f"/stats/review/{submitted_june.pk}/return/", {"comment": " "})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Напишите комментарий для библиотеки: что нужно исправить." in page_text(response)
    assert 'id="id_comment_error"' in body
    submitted_june.refresh_from_db()
    assert submitted_june.status == Report.Status.SUBMITTED
    assert submitted_june.transitions.count() == 1


def test_accepting_a_draft_is_refused_with_a_message(centre_client, cbs):
    draft = make_report(cbs, 2025, 7, CLEAN_JUNE)
    response = action(centre_client, draft, "accept")
    assert "Отчёт в статусе «черновик» нельзя принять." in page_text(response)
    draft.refresh_from_db()
    assert draft.status == Report.Status.DRAFT
    assert not ReportTransition.objects.filter(report=draft).exists()


def test_accept_lock_and_reopen_with_a_reason(centre_client, centre_methodist, submitted_june):
    response = action(centre_client, submitted_june, "accept")
    assert "Отчёт принят." in page_text(response)
    assert 'id="lock-form"' in response.content.decode()
    response = action(centre_client, submitted_june, "lock")
    assert "Отчёт закрыт." in page_text(response)
    submitted_june.refresh_from_db()
    assert submitted_june.status == Report.Status.LOCKED

    response = centre_client.post(f"/stats/review/{submitted_june.pk}/reopen/", {"reason": ""})
    assert "Укажите причину, по которой принятый отчёт открывается заново." in page_text(response)
    submitted_june.refresh_from_db()
    assert submitted_june.status == Report.Status.LOCKED

    reason = "Библиотека нашла ошибку в числе посещений."
    response = action(centre_client, submitted_june, "reopen", reason=reason)
    assert "Отчёт открыт заново и возвращён в библиотеку." in page_text(response)
    submitted_june.refresh_from_db()
    assert submitted_june.status == Report.Status.RETURNED
    assert submitted_june.comment == reason
    last = submitted_june.transitions.order_by("-at", "-pk").first()
    assert (last.from_status, last.to_status, last.user, last.comment) == (
        "locked",
        "returned",
        centre_methodist,
        reason,
    )


# The whole story of the issue --------------------------------------------------------------


def test_june_from_entry_to_acceptance(client, centre_methodist, cbs):
    """Fill in June, explain the jump, submit; returned with a comment; corrected; accepted."""
    operator = make_operator(cbs, "operator-yurga")
    make_report(cbs, 2024, 6, LAST_JUNE, status=Report.Status.ACCEPTED)

    # The operator logs in and opens June 2025.
    response = client.post(
        "/accounts/login/", {"username": "operator-yurga", "password": "pass-12345"}
    )
    assert response.status_code == 302
    assert client.get("/stats/reports/").status_code == 200
    data = {"form": "VS", "year": "2025", "month": "6"}
    opened = client.post("/stats/reports/new/", data)
    june = Report.objects.get(organization=cbs, period__year=2025, period__month=6)
    assert opened["Location"] == f"/stats/reports/{june.pk}/"

    # Her figures: attendance jumped against last June.
    figures = {**CLEAN_JUNE, "VS.EVENT_ATT": 2400, "VS.KIBO_TRIPS": 30, "VS.KIBO_STOPS": 30}
    response = post_figures(client, june, figures, submit=True)
    text = page_text(response)
    assert "Изменение на +60% к прошлому году (1500 → 2400)." in text
    assert "Перед сдачей поясните каждое предупреждение." in text
    june.refresh_from_db()
    assert june.status == Report.Status.DRAFT

    # She explains both warnings and submits.
    response = post_figures(
        client,
        june,
        submit=True,
        **{
            "explain_VS.EVENT_ATT": "Районный праздник книги в парке.",
            "explain_VS.KIBO_TRIPS": "КИБО вышел из ремонта.",
        },
    )
    assert "Отчёт сдан в методический центр" in page_text(response)
    june.refresh_from_db()
    assert june.status == Report.Status.SUBMITTED

    # The centre sees it on the board and returns it with a comment.
    client.force_login(centre_methodist)
    board = board_cells(client.get("/stats/review/?year=2025"))
    assert board["ЦБС Юргинского округа"][5] == "сдан"
    review = client.get(review_url(june))
    assert "Районный праздник книги в парке." in page_text(review)
    comment = "Выездов КИБО 30 — проверьте по путевым листам."
    data = form_data(review.content.decode(), "return-form") | {"comment": comment}
    response = client.post(f"/stats/review/{june.pk}/return/", data, follow=True)
    assert "Отчёт возвращён в библиотеку на доработку." in page_text(response)

    # She sees the comment, corrects the trips and submits again.
    client.force_login(operator)
    assert comment in page_text(client.get("/stats/reports/"))
    assert comment in page_text(client.get(f"/stats/reports/{june.pk}/"))
    response = post_figures(client, june, {"VS.KIBO_TRIPS": 10}, submit=True)
    assert "Отчёт сдан в методический центр" in page_text(response)
    assert stored_values(june)["VS.KIBO_TRIPS"] == 10

    # The centre accepts; the operator can no longer change it.
    client.force_login(centre_methodist)
    response = action(client, june, "accept")
    assert "Отчёт принят." in page_text(response)
    assert board_cells(client.get("/stats/review/?year=2025"))["ЦБС Юргинского округа"][5] == (
        "принят"
    )
    assert list(june.transitions.values_list("from_status", "to_status", "user__username")) == [
        ("draft", "submitted", "operator-yurga"),
        ("submitted", "returned", centre_methodist.username),
        ("returned", "submitted", "operator-yurga"),
        ("submitted", "accepted", centre_methodist.username),
    ]
    client.force_login(operator)
    response = post_figures_to_accepted(client, june)
    assert "Отчёт в статусе «принят»: его показатели больше нельзя изменить." in page_text(response)
    assert stored_values(june)["VS.KIBO_TRIPS"] == 10
    # Accepted figures are what the public dashboard counts.
    assert Report.objects.filter(status=Report.Status.ACCEPTED, pk=june.pk).exists()


def post_figures_to_accepted(client, report):
    data = {"VS.KIBO_TRIPS": "99", "version": str(report.version), "save_draft": "1"}
    return client.post(f"/stats/reports/{report.pk}/", data, follow=True)


# The centre's admin ------------------------------------------------------------------------


def test_report_admin_shows_the_history_and_checks_read_only(centre_client, submitted_june):
    response = centre_client.get(f"/admin/stats/report/{submitted_june.pk}/change/")
    assert response.status_code == 200
    text = page_text(response)
    body = response.content.decode()
    assert "история статусов" in text.lower()
    assert "Изменение на +60% к прошлому году (1500 → 2400)." in text
    # A submitted report's figures and status are not edited here.
    assert 'name="values-0-value"' not in body
    assert 'name="status"' not in body
    assert 'name="transitions-0-comment"' not in body
    # Nor a draft's: figures change on the operator's page (or by an import), where the
    # checks, the report's version and the history follow every change.
    draft = make_report(submitted_june.organization, 2025, 7, CLEAN_JUNE)
    body = centre_client.get(f"/admin/stats/report/{draft.pk}/change/").content.decode()
    assert 'name="values-0-value"' not in body
    assert "1900" in body  # shown, for reading


def test_an_approved_forms_rows_are_read_only_in_the_admin(centre_client):
    from stats.models import FormItem, FormTemplate, Indicator

    approved = FormTemplate.objects.get(code="VS", version=1)
    body = centre_client.get(f"/admin/stats/formtemplate/{approved.pk}/change/").content.decode()
    assert "VS.EVENTS.OUTDOOR" in body
    assert 'name="items-0-order"' not in body

    draft = FormTemplate.objects.create(code="VS", version=2, name="Внестационарное обслуживание")
    FormItem.objects.create(form=draft, indicator=Indicator.objects.get(code="VS.POINTS"))
    body = centre_client.get(f"/admin/stats/formtemplate/{draft.pk}/change/").content.decode()
    assert 'name="items-0-order"' in body


# What changed since the report was returned --------------------------------------------------


def changes_rows(response):
    body = response.content.decode()
    section = re.search(r'id="changes"(.*?)</section>', body, re.S)
    if section is None:
        return None
    rows = re.findall(r"<tr>(.*?)</tr>", section.group(1).split("<tbody>", 1)[-1], re.S)
    return [page_text_of(row).split() for row in rows]


def test_the_review_page_shows_what_changed_since_the_report_was_returned(
    centre_client, centre_methodist, submitted_june
):
    assert changes_rows(centre_client.get(review_url(submitted_june))) is None  # never returned
    services.report_return(
        report=submitted_june, user=centre_methodist, comment="Проверьте число посещений."
    )
    operator = submitted_june.transitions.first().user
    client = Client()
    client.force_login(operator)
    post_figures(
        client,
        submitted_june,
        {"VS.LOANS": 2000, "VS.EVENT_ATT": 2350},
        **{"explain_VS.EVENT_ATT": "Праздник книги: 850 гостей, по журналу учёта."},
    )
    # While it is back with the library, the centre sees no comparison yet.
    assert changes_rows(centre_client.get(review_url(submitted_june))) is None
    services.report_submit(report=submitted_june, user=operator)

    response = centre_client.get(review_url(submitted_june))
    text = page_text(response)
    assert "Изменения после возврата отчёта" in text
    assert "Комментарий центра при возврате: Проверьте число посещений." in text
    rows = changes_rows(response)
    assert [row[0] for row in rows] == ["VS.LOANS", "VS.EVENT_ATT"]  # in the form's order
    loans, attendance = (" ".join(row) for row in rows)
    assert "1900 2000 — —" in loans  # the figure before and after; no explanation either time
    assert "2400 2350 Районный праздник книги в парке. Праздник книги: 850 гостей" in attendance


def test_a_report_resubmitted_unchanged_says_so(centre_client, centre_methodist, submitted_june):
    services.report_return(report=submitted_june, user=centre_methodist, comment="Уточните.")
    services.report_submit(report=submitted_june, user=centre_methodist)
    response = centre_client.get(review_url(submitted_june))
    assert changes_rows(response) == []
    assert "После возврата в отчёте ничего не изменилось: значения и пояснения те же." in (
        page_text(response)
    )


# Entering a report for a library ---------------------------------------------------------------


def entry_form(client, report):
    response = client.get(f"/stats/review/{report.pk}/enter/")
    assert response.status_code == 200
    return form_data(response.content.decode(), "report-form")


def test_the_centre_enters_a_month_given_by_phone_and_submits_it_for_the_library(
    centre_client, centre_methodist, cbs
):
    operator = make_operator(cbs, "operator-yurga")
    make_report(cbs, 2024, 6, LAST_JUNE, status=Report.Status.ACCEPTED)
    # From the board's «—» cell: the organisation and month come filled in.
    page = centre_client.get(
        f"/stats/review/enter/?organization={cbs.pk}&form=VS&year=2025&month=6"
    )
    start = form_data(page.content.decode(), "entry-start")
    assert (start["organization"], start["year"], start["month"]) == (str(cbs.pk), "2025", "6")
    opened = centre_client.post("/stats/review/enter/", start)
    report = Report.objects.get(organization=cbs, period__year=2025, period__month=6)
    assert opened["Location"] == f"/stats/review/{report.pk}/enter/"

    data = entry_form(centre_client, report) | {k: str(v) for k, v in CLEAN_JUNE.items()}
    # Saying how the figures came is required; nothing is saved without it.
    response = centre_client.post(opened["Location"], data | {"save_submit": "1"})
    assert "Укажите, как библиотека передала центру свои показатели." in page_text(response)
    assert stored_values(report) == {}

    data |= {"entry_source": "phone", "entry_note": "Продиктовала Иванова М. П., 4 июля."}
    response = centre_client.post(opened["Location"], data | {"save_submit": "1"}, follow=True)
    assert "Отчёт сдан за библиотеку и ждёт проверки." in page_text(response)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert (report.entered_by_centre, report.entry_source) == (True, "phone")
    assert stored_values(report) == CLEAN_JUNE
    [step] = report.transitions.all()
    assert (step.user, step.on_behalf, step.comment) == (
        centre_methodist,
        True,
        "Продиктовала Иванова М. П., 4 июля.",
    )
    # On the review page, in its history and the queue.
    text = page_text(response)
    assert "Внесено центром за библиотеку: показатели получены по телефону." in text
    history = page_text_of(
        re.search(r'id="history".*?</table>', response.content.decode(), re.S).group(0)
    )
    assert "черновик → сдан внесено центром за библиотеку" in history
    assert "внесено центром за библиотеку" in page_text(centre_client.get("/stats/review/queue/"))
    admin = page_text(centre_client.get(f"/admin/stats/report/{report.pk}/change/"))
    assert "Внесено центром за библиотеку: да, показатели получены по телефону" in admin
    assert "центр за библиотеку" in admin  # the submission step, in the steps' table
    assert "True" not in admin and "draft" not in admin
    # The operator sees it on her report and in her list.
    client = Client()
    client.force_login(operator)
    assert "Внесено центром за библиотеку: показатели получены по телефону." in page_text(
        client.get(f"/stats/reports/{report.pk}/")
    )
    assert "внесено центром за библиотеку" in page_text(client.get("/stats/reports/"))


def test_the_centre_can_save_a_library_s_draft_and_a_warning_needs_its_explanation(
    centre_client, submitted_june, cbs
):
    make_report(cbs, 2024, 7, LAST_JUNE, status=Report.Status.ACCEPTED)
    draft = make_report(cbs, 2025, 7)
    data = entry_form(centre_client, draft) | {k: str(v) for k, v in CLEAN_JUNE.items()}
    data |= {"VS.LOANS": "9000", "entry_source": "paper", "save_submit": "1"}
    response = centre_client.post(f"/stats/review/{draft.pk}/enter/", data, follow=True)
    text = page_text(response)
    assert "Черновик сохранён" in text and "Перед сдачей поясните каждое предупреждение." in text
    draft.refresh_from_db()
    assert draft.status == Report.Status.DRAFT
    assert (draft.entered_by_centre, draft.entry_source) == (True, "paper")
    assert stored_values(draft)["VS.LOANS"] == 9000
    assert not draft.transitions.exists()


def test_a_report_handed_in_cannot_be_entered_by_the_centre(centre_client, submitted_june):
    response = centre_client.get(f"/stats/review/{submitted_june.pk}/enter/", follow=True)
    assert response.redirect_chain[-1][0] == review_url(submitted_june)
    assert "Отчёт в статусе «сдан»: его показатели больше нельзя изменить." in page_text(response)
    data = {"VS.LOANS": "1", "version": str(submitted_june.version), "entry_source": "phone"}
    centre_client.post(f"/stats/review/{submitted_june.pk}/enter/", data | {"save_draft": "1"})
    assert stored_values(submitted_june)["VS.LOANS"] == CLEAN_JUNE["VS.LOANS"]
    # Nor a month the library already handed in: its report is opened, not a second one.
    data = {"organization": submitted_june.organization_id, "form": "VS", "year": 2025, "month": 6}
    response = centre_client.post("/stats/review/enter/", data, follow=True)
    assert "Отчёт в статусе «сдан»: его показатели больше нельзя изменить." in page_text(response)
    assert Report.objects.filter(organization=submitted_june.organization).count() == 2


def test_a_future_month_cannot_be_entered(centre_client, cbs):
    with pinned_clock(2025, 7, 20):
        data = {"organization": cbs.pk, "form": "VS", "year": 2025, "month": 8}
        response = centre_client.post("/stats/review/enter/", data)
    assert "Отчёт можно открыть только за текущий или прошедший месяц." in page_text(response)
    assert not Report.objects.filter(organization=cbs).exists()


def test_the_review_page_of_a_draft_offers_to_enter_it(centre_client, cbs, submitted_june):
    draft = make_report(cbs, 2025, 7)
    assert (
        f'href="/stats/review/{draft.pk}/enter/"'
        in centre_client.get(review_url(draft)).content.decode()
    )
    assert 'id="enter-link"' not in centre_client.get(review_url(submitted_june)).content.decode()
