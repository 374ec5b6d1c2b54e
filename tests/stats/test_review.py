"""The centre's pages: the board of reports, one report's review, and its decisions."""

import re

import pytest

from members.models import Organization
from stats import services
from stats.models import ImportLog, Report, ReportTransition
from tests.formscrape import form_data
from tests.helpers import (
    CLEAN_JUNE,
    LAST_JUNE,
    make_municipality,
    make_operator,
    make_organization,
    make_report,
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
    figures = {**CLEAN_JUNE, "VS.EVENT_ATT": 2600}
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


def test_board_shows_each_months_status_and_overdue_marks(centre_client, cbs, submitted_june):
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
    assert yurga[3] == "возвращён ! просрочено"
    assert yurga[4] == "принят"
    assert yurga[5] == "сдан"
    assert yurga[0] == "— ! просрочено"  # January 2025: nothing, and long overdue
    assert taiga[5] == "черновик ! просрочено"
    assert f'href="/stats/review/{submitted_june.pk}/"' in response.content.decode()
    # 2024 is another year: the locked June 2024 is not on this board.
    assert "закрыт" not in " ".join(taiga)
    assert "закрыт" in " ".join(
        board_cells(centre_client.get("/stats/review/?year=2024"))["МИБС Тайги"]
    )


def test_board_has_no_overdue_marks_before_the_deadline(centre_client, cbs):
    from django.utils import timezone

    this_year = timezone.localdate().year
    response = centre_client.get(f"/stats/review/?year={this_year}")
    december = board_cells(response)["ЦБС Юргинского округа"][11]
    assert december == "—"


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
    from django.utils import timezone

    response = centre_client.get("/stats/review/?year=abc")
    assert response.status_code == 200
    assert str(timezone.localdate().year) in page_text(response)


@pytest.mark.parametrize("organizations", [3, 30])
def test_board_query_count_does_not_grow(centre_client, organizations, django_assert_num_queries):
    municipality = make_municipality("Кемеровский")
    for n in range(organizations):
        org = make_organization(f"ЦБС № {n}", municipality=municipality)
        for month in (1, 2, 3):
            make_report(org, 2025, month, status=Report.Status.SUBMITTED)
    with django_assert_num_queries(11):
        response = centre_client.get("/stats/review/?year=2025")
    assert response.status_code == 200
    assert len(board_cells(response)) == organizations


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
    assert "2600" in row_text and "1500" in row_text and "+73 %" in row_text
    assert "Изменение на +73% к прошлому году (1500 → 2600)." in row_text
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
        with django_assert_num_queries(14):
            assert centre_client.get(review_url(submitted_june)).status_code == 200

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
    figures = {**CLEAN_JUNE, "VS.EVENT_ATT": 2600, "VS.KIBO_TRIPS": 30, "VS.KIBO_STOPS": 30}
    response = post_figures(client, june, figures, submit=True)
    text = page_text(response)
    assert "Изменение на +73% к прошлому году (1500 → 2600)." in text
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
    assert "Изменение на +73% к прошлому году (1500 → 2600)." in text
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
