"""An operator's pages: her reports, entering figures, checks next to the fields, permissions."""

import html
import io
import re

import pytest
from pypdf import PdfReader

from stats import services
from stats.models import Report, Value
from tests.formscrape import form_data
from tests.helpers import (
    CLEAN_JUNE,
    LAST_JUNE,
    make_operator,
    make_organization,
    make_report,
    normalize,
    pinned_clock,
    stored_values,
)

pytestmark = pytest.mark.django_db


def page_text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def edit_url(report):
    return f"/stats/reports/{report.pk}/"


def report_form(client, report):
    """The report's form as the browser would post it back unchanged."""
    response = client.get(edit_url(report))
    assert response.status_code == 200
    return form_data(response.content.decode(), "report-form")


def post_figures(client, report, figures=None, *, submit=False, **extra):
    data = report_form(client, report)
    data.update({code: str(value) for code, value in (figures or {}).items()})
    data.update(extra)
    data["save_submit" if submit else "save_draft"] = "1"
    return client.post(edit_url(report), data, follow=True)


@pytest.fixture
def cbs():
    return make_organization("ЦБС Юргинского округа")


@pytest.fixture
def operator_client(client, cbs):
    client.force_login(make_operator(cbs, "operator-yurga"))
    return client


@pytest.fixture
def june(cbs):
    make_report(cbs, 2024, 6, LAST_JUNE, status=Report.Status.ACCEPTED)
    return make_report(cbs, 2025, 6)


# Who may come in ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/stats/reports/", "/stats/reports/1/"])
def test_anonymous_visitor_is_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={path}")


def test_a_user_without_an_organisation_gets_404(client, operator):
    client.force_login(operator)  # in the operators' group, but bound to no organisation
    assert client.get("/stats/reports/").status_code == 404


def test_operator_cannot_open_the_review_board(operator_client, june):
    assert operator_client.get("/stats/review/").status_code == 403
    assert operator_client.get(f"/stats/review/{june.pk}/").status_code == 403
    response = operator_client.post(f"/stats/review/{june.pk}/accept/")
    assert response.status_code == 403


def test_another_organisations_report_is_404_on_get_and_post(operator_client, cbs):
    other = make_report(make_organization("МИБС Тайги"), 2025, 6, CLEAN_JUNE)
    assert operator_client.get(edit_url(other)).status_code == 404
    data = dict.fromkeys(CLEAN_JUNE, "1") | {"version": "1", "save_draft": "1"}
    assert operator_client.post(edit_url(other), data).status_code == 404
    assert operator_client.post(f"/stats/reports/{other.pk}/submit/").status_code == 404
    other.refresh_from_db()
    assert other.status == Report.Status.DRAFT
    assert stored_values(other) == CLEAN_JUNE


# The list of reports and opening a month ---------------------------------------------------


def todo_rows(response):
    """The to-do table's rows as text, in order."""
    body = response.content.decode()
    if 'id="todo"' not in body:
        return []
    table = body[body.index('id="todo"') :]
    tbody = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", html.unescape(row)).split())
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S)
    ]


def handed_in_rows(response):
    body = response.content.decode()
    if 'id="handed-in"' not in body:
        return []
    table = body[body.index('id="handed-in"') :]
    tbody = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", html.unescape(row)).split())
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S)
    ]


def test_my_reports_start_with_what_is_to_do_and_list_only_her_organisations(operator_client, cbs):
    with pinned_clock(2025, 7, 3):  # June is over and due on the 5th, not yet overdue
        make_report(cbs, 2025, 1, CLEAN_JUNE, status=Report.Status.ACCEPTED)  # the first period
        make_report(cbs, 2025, 2, CLEAN_JUNE, status=Report.Status.SUBMITTED)
        returned = make_report(cbs, 2025, 5, CLEAN_JUNE, status=Report.Status.RETURNED)
        Report.objects.filter(pk=returned.pk).update(comment="Уточните число стоянок КИБО.")
        june = make_report(cbs, 2025, 6)
        other = make_report(make_organization("МИБС Тайги"), 2025, 4)
        response = operator_client.get("/stats/reports/")
    assert response.status_code == 200
    assert "ЦБС Юргинского округа" in page_text(response)
    # Overdue first (March and April, never opened), then returned, then the rest by deadline.
    assert todo_rows(response) == [
        "Март 2025 Внестационарное обслуживание не начат 5 апреля 2025 г. "
        "просрочено на 89 дней Начать отчёт Март 2025",
        "Апрель 2025 Внестационарное обслуживание не начат 5 мая 2025 г. "
        "просрочено на 59 дней Начать отчёт Апрель 2025",
        "Май 2025 Внестационарное обслуживание, версия 1 возвращён на доработку просрочено "
        "Уточните число стоянок КИБО. 5 июня 2025 г. просрочено на 28 дней Исправить",
        "Июнь 2025 Внестационарное обслуживание, версия 1 черновик 5 июля 2025 г. Продолжить",
    ]
    # What she has handed in comes after, newest first, each with its PDF.
    assert handed_in_rows(response) == [
        "Февраль 2025 Внестационарное обслуживание, версия 1 сдан 5 марта 2025 г. PDF Февраль 2025",
        "Январь 2025 Внестационарное обслуживание, версия 1 принят 5 февраля 2025 г. "
        "PDF Январь 2025",
    ]
    body = response.content.decode()
    assert f"/stats/reports/{june.pk}/" in body and f"/stats/reports/{other.pk}/" not in body


def test_a_missing_month_opens_from_the_to_do_list(operator_client, cbs):
    with pinned_clock(2025, 7, 3):
        make_report(cbs, 2025, 5, CLEAN_JUNE, status=Report.Status.ACCEPTED)
        page = operator_client.get("/stats/reports/").content.decode()
        june = re.search(r"<tr[^>]*>\s*<th[^>]*>Июнь 2025.*?</tr>", page, re.S).group(0)
        data = form_data(june, None)
        response = operator_client.post("/stats/reports/new/", data)
        report = Report.objects.get(organization=cbs, period__year=2025, period__month=6)
        assert response["Location"] == edit_url(report)
        assert todo_rows(operator_client.get("/stats/reports/"))[0].startswith(
            "Июнь 2025 Внестационарное обслуживание, версия 1 черновик"
        )


def test_nothing_to_do_says_so(operator_client, cbs):
    with pinned_clock(2025, 7, 3):
        for month in range(1, 7):
            make_report(cbs, 2025, month, CLEAN_JUNE, status=Report.Status.ACCEPTED)
        text = page_text(operator_client.get("/stats/reports/"))
    assert "Сдавать нечего: отчёты за все положенные месяцы сданы." in text


def test_the_to_do_looks_back_to_last_january_and_not_before_the_collection(operator_client, cbs):
    with pinned_clock(2026, 2, 10):
        services.period_for(year=2023, month=1)  # the collection began in 2023
        rows = todo_rows(operator_client.get("/stats/reports/"))
    # January 2025 – January 2026: thirteen months, the oldest first; 2023–2024 are the
    # board's to show, not her to-do list.
    assert len(rows) == 13
    assert rows[0].startswith("Январь 2025") and rows[-1].startswith("Январь 2026")


def test_opening_a_month_creates_the_report_once(operator_client, cbs):
    data = {"form": "VS", "year": "2025", "month": "6"}
    response = operator_client.post("/stats/reports/new/", data)
    report = Report.objects.get(organization=cbs, period__year=2025, period__month=6)
    assert response.status_code == 302
    assert response["Location"] == edit_url(report)
    operator_client.post("/stats/reports/new/", data)
    assert Report.objects.filter(organization=cbs).count() == 1


def test_a_future_month_cannot_be_opened(operator_client, cbs):
    from django.utils import timezone

    next_year = timezone.localdate().year + 1
    data = {"form": "VS", "year": str(next_year), "month": "1"}
    response = operator_client.post("/stats/reports/new/", data)
    assert response.status_code == 200
    assert not Report.objects.filter(organization=cbs).exists()
    # The next year is not even offered.
    assert "Выберите корректный вариант" in page_text(response)


def test_the_current_month_is_offered_but_not_the_next(operator_client, cbs):
    import datetime

    from stats.forms import NewReportForm

    form = NewReportForm(
        {"form": "VS", "year": "2026", "month": "12"}, today=datetime.date(2026, 11, 27)
    )
    assert not form.is_valid()
    assert form.errors["month"] == ["Отчёт можно открыть только за текущий или прошедший месяц."]
    form = NewReportForm(
        {"form": "VS", "year": "2026", "month": "11"}, today=datetime.date(2026, 11, 27)
    )
    assert form.is_valid()


# The form ----------------------------------------------------------------------------------


def test_the_form_shows_sections_parts_and_last_years_figures(operator_client, june):
    response = operator_client.get(edit_url(june))
    body = response.content.decode()
    text = page_text(response)
    for section in ("Сеть внестационарного обслуживания", "КИБО", "Мероприятия"):
        assert f"<legend>{section}</legend>" in body
    assert "в прошлом году: 2400" in text
    assert 'id="id_VS.VISITS_helptext"' in body
    assert re.search(r'<input[^>]*name="VS.VISITS"[^>]*inputmode="numeric"', body) or re.search(
        r'<input[^>]*inputmode="numeric"[^>]*name="VS.VISITS"', body
    )
    assert 'aria-describedby="id_VS.VISITS_helptext"' in body
    assert re.search(r'<label\s+for="id_VS.VISITS"', body)
    # «из них» lines are indented.
    assert re.search(r'id="div_id_VS.VISITS.CHILD" class="[^"]*ps-4', body)
    assert not re.search(r'id="div_id_VS.VISITS" class="[^"]*ps-4', body)
    assert "<script" not in body and 'style="' not in body
    assert form_data(body, "report-form")["version"] == str(june.version)


def test_a_month_without_last_years_report_says_so(operator_client, cbs):
    report = make_report(cbs, 2025, 3)
    assert "в прошлом году: нет данных" in page_text(operator_client.get(edit_url(report)))


def test_saving_a_draft_stores_the_figures(operator_client, june):
    response = post_figures(operator_client, june, CLEAN_JUNE)
    assert "Черновик сохранён" in page_text(response)
    assert stored_values(june) == CLEAN_JUNE
    june.refresh_from_db()
    assert june.status == Report.Status.DRAFT
    # The saved figures come back in the form.
    assert form_data(response.content.decode(), "report-form")["VS.LOANS"] == "1900"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-3", "Значение не может быть отрицательным."),
        ("12,5", "Допускаются только целые числа: 12,5 — дробное."),
        ("abc", "«abc» — не число."),
        ("99999999999999999999", "Слишком большое число: форма допускает не больше 1 000 000 000."),
        # The form's own bound (10^9 for form v1), and exactly: no float rounds it down.
        ("1000000001", "Слишком большое число: форма допускает не больше 1 000 000 000."),
        ("9007199254740993.0", "Слишком большое число: форма допускает не больше 1 000 000 000."),
        ("1,000", "«1,000» читается двояко"),
        ("1e3", "«1e3» записано с порядком: запишите число полностью, без «e»."),
    ],
)
def test_a_bad_number_saves_nothing_and_keeps_what_was_typed(operator_client, june, typed, message):
    figures = {**CLEAN_JUNE, "VS.LOANS": typed}
    response = post_figures(operator_client, june, figures)
    assert response.status_code == 200
    body = response.content.decode()
    text = page_text(response)
    assert message in text
    assert "Ничего не сохранено" in text
    # The message is next to its field and announced with it.
    assert 'id="id_VS.LOANS_error"' in body
    assert re.search(r'name="VS.LOANS"[^>]*aria-invalid="true"', body) or re.search(
        r'aria-invalid="true"[^>]*name="VS.LOANS"', body
    )
    # Every typed value is still in the form, the bad one too.
    data = form_data(body, "report-form")
    assert data["VS.LOANS"] == typed
    assert data["VS.POINTS"] == "13" and data["VS.EVENT_ATT"] == "1600"
    assert stored_values(june) == {}
    june.refresh_from_db()
    assert june.version == 1


def test_several_bad_numbers_each_get_their_message(operator_client, june):
    response = post_figures(
        operator_client, june, {**CLEAN_JUNE, "VS.POINTS": "-1", "VS.USERS": "0,5"}
    )
    text = page_text(response)
    assert "Значение не может быть отрицательным." in text
    assert "Допускаются только целые числа: 0,5 — дробное." in text
    assert stored_values(june) == {}


def test_a_part_above_its_whole_is_saved_but_blocks_submission(operator_client, june):
    figures = {**CLEAN_JUNE, "VS.EVENTS.OUTDOOR": 50}
    response = post_figures(operator_client, june, figures, submit=True)
    text = page_text(response)
    body = response.content.decode()
    assert "Черновик сохранён" in text
    assert "В отчёте есть ошибки: исправьте их перед сдачей." in text
    assert "Часть («из них»: 50) больше целого «Число мероприятий вне стационара» (44)." in text
    # Next to the field, in red, and the input points at it.
    assert 'id="findings_VS.EVENTS.OUTDOOR"' in body
    assert re.search(r'aria-describedby="[^"]*findings_VS.EVENTS.OUTDOOR"', body)
    assert "alert-danger" in body
    june.refresh_from_db()
    assert june.status == Report.Status.DRAFT
    assert stored_values(june)["VS.EVENTS.OUTDOOR"] == 50


def test_a_stale_form_is_refused_and_keeps_what_was_typed(operator_client, june, cbs):
    stale = report_form(operator_client, june)
    colleague = make_operator(cbs, "operator-colleague")
    colleague.first_name, colleague.last_name = "Ольга", "Смирнова"
    colleague.save()
    services.report_save_values(report=june, values=CLEAN_JUNE, user=colleague)
    stale.update({"VS.LOANS": "1950", "save_draft": "1"})
    response = operator_client.post(edit_url(june), stale)
    assert response.status_code == 200
    text = page_text(response)
    # Who saved meanwhile, by full name (not her login), and when.
    assert "Пока вы редактировали отчёт, в нём были сохранены другие значения (Ольга Смирнова," in (
        text
    )
    assert "operator-colleague" not in text
    assert form_data(response.content.decode(), "report-form")["VS.LOANS"] == "1950"
    assert stored_values(june)["VS.LOANS"] == 1900


def test_a_form_stale_from_her_own_other_tab_says_so(operator_client, june):
    stale = report_form(operator_client, june)
    other_tab = report_form(operator_client, june)
    other_tab.update({code: str(v) for code, v in CLEAN_JUNE.items()} | {"save_draft": "1"})
    operator_client.post(edit_url(june), other_tab)
    stale.update({"VS.LOANS": "1950", "save_draft": "1"})
    text = page_text(operator_client.post(edit_url(june), stale))
    assert "Пока вы редактировали отчёт здесь, вы сами сохранили его в другой вкладке" in text
    assert "operator-yurga" not in text


def test_an_empty_report_cannot_be_submitted_and_the_empty_lines_are_named(operator_client, june):
    response = operator_client.post(f"/stats/reports/{june.pk}/submit/", follow=True)
    text = page_text(response)
    assert (
        "Перед сдачей заполните каждую строку; не заполнены: «Число пунктов внестационарного "
        "обслуживания», «Число летних читальных залов и площадок под открытым небом», «Число "
        "дней работы летних читальных залов», «Число выездов КИБО», «Число стоянок КИБО» и ещё "
        "15 строк. Ноль — тоже значение: введите 0, где ничего не было." in text
    )
    june.refresh_from_db()
    assert june.status == Report.Status.DRAFT and not june.transitions.exists()


def test_zero_is_a_figure_but_an_empty_line_is_not(operator_client, june):
    figures = dict.fromkeys(CLEAN_JUNE, 0) | {"VS.KIBO_STOPS": ""}
    response = post_figures(operator_client, june, figures, submit=True)
    text = page_text(response)
    assert "не заполнена: «Число стоянок КИБО»." in text
    june.refresh_from_db()
    assert june.status == Report.Status.DRAFT
    response = post_figures(operator_client, june, {"VS.KIBO_STOPS": 0}, submit=True)
    # Zeros everywhere are figures: what stands in the way now are last June's warnings.
    assert "не заполнен" not in page_text(response)


def test_the_operator_withdraws_a_submitted_report_before_review(operator_client, june):
    post_figures(operator_client, june, CLEAN_JUNE, submit=True)
    june.refresh_from_db()
    assert june.status == Report.Status.SUBMITTED
    page = operator_client.get(edit_url(june))
    assert 'id="withdraw-form"' in page.content.decode()
    response = operator_client.post(f"/stats/reports/{june.pk}/withdraw/", follow=True)
    assert "Отчёт отозван и снова стал черновиком: исправьте его и сдайте ещё раз." in page_text(
        response
    )
    june.refresh_from_db()
    assert june.status == Report.Status.DRAFT and june.submitted_at is None
    assert list(june.transitions.values_list("from_status", "to_status")) == [
        ("draft", "submitted"),
        ("submitted", "draft"),
    ]
    # Once the centre has taken it, it is the centre's: accepted reports are not withdrawn.
    post_figures(operator_client, june, CLEAN_JUNE, submit=True)
    Report.objects.filter(pk=june.pk).update(status=Report.Status.ACCEPTED)
    response = operator_client.post(f"/stats/reports/{june.pk}/withdraw/", follow=True)
    assert "Отчёт в статусе «принят» нельзя отозвать" in page_text(response)
    assert operator_client.get(f"/stats/reports/{june.pk}/withdraw/").status_code == 405


def test_a_closed_report_says_closed_not_accepted(operator_client, cbs):
    closed = make_report(cbs, 2024, 3, CLEAN_JUNE, status=Report.Status.LOCKED)
    text = page_text(operator_client.get(edit_url(closed)))
    assert "Отчёт закрыт: методический центр закрыл год" in text
    assert "Отчёт принят" not in text


def test_an_explanation_goes_with_the_warning_it_explained(operator_client, june):
    jump = {**CLEAN_JUNE, "VS.EVENT_ATT": 2400, "VS.VISITS.EVENTS": 2000}
    post_figures(operator_client, june, jump)
    post_figures(operator_client, june, **{"explain_VS.EVENT_ATT": "Праздник книги в парке."})
    value = Value.objects.get(report=june, indicator__code="VS.EVENT_ATT")
    assert value.explanation == "Праздник книги в парке."
    # The figure corrected: the warning is gone, and the explanation with it.
    response = post_figures(operator_client, june, {"VS.EVENT_ATT": 1600})
    value.refresh_from_db()
    assert value.explanation == ""
    assert 'name="explain_VS.EVENT_ATT"' not in response.content.decode()


def test_an_accepted_report_is_read_only_and_a_post_is_refused(operator_client, cbs):
    accepted = make_report(cbs, 2025, 6, CLEAN_JUNE, status=Report.Status.ACCEPTED)
    page = operator_client.get(edit_url(accepted))
    assert 'id="report-form"' not in page.content.decode()
    assert "принят" in page_text(page)
    data = dict.fromkeys(CLEAN_JUNE, "1") | {"version": str(accepted.version)}
    response = operator_client.post(edit_url(accepted), data | {"save_draft": "1"}, follow=True)
    assert "Отчёт в статусе «принят»: его показатели больше нельзя изменить." in page_text(response)
    assert stored_values(accepted) == CLEAN_JUNE
    response = operator_client.post(f"/stats/reports/{accepted.pk}/submit/", follow=True)
    assert "Отчёт в статусе «принят» нельзя сдать." in page_text(response)
    accepted.refresh_from_db()
    assert accepted.status == Report.Status.ACCEPTED


def test_june_with_a_jump_is_explained_and_submitted(operator_client, june):
    """The operator's half of the issue's story: fill in, see the warning, explain, submit."""
    jump = {**CLEAN_JUNE, "VS.EVENT_ATT": 2400, "VS.VISITS.EVENTS": 2000}
    response = post_figures(operator_client, june, jump, submit=True)
    text = page_text(response)
    assert "Черновик сохранён" in text
    assert "Перед сдачей поясните каждое предупреждение." in text
    assert "Изменение на +60% к прошлому году (1500 → 2400)." in text
    assert 'name="explain_VS.EVENT_ATT"' in response.content.decode()
    june.refresh_from_db()
    assert june.status == Report.Status.DRAFT

    response = post_figures(
        operator_client,
        june,
        submit=True,
        **{"explain_VS.EVENT_ATT": "В июне прошёл районный праздник книги в парке."},
    )
    assert "Отчёт сдан в методический центр" in page_text(response)
    june.refresh_from_db()
    assert june.status == Report.Status.SUBMITTED
    assert Value.objects.get(report=june, indicator__code="VS.EVENT_ATT").explanation == (
        "В июне прошёл районный праздник книги в парке."
    )
    assert stored_values(june)["VS.EVENT_ATT"] == 2400


def test_the_submit_address_submits_saved_figures(operator_client, june):
    post_figures(operator_client, june, CLEAN_JUNE)
    response = operator_client.post(f"/stats/reports/{june.pk}/submit/", follow=True)
    assert "Отчёт сдан в методический центр" in page_text(response)
    assert operator_client.get(f"/stats/reports/{june.pk}/submit/").status_code == 405


# Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("months", [2, 12])
def test_my_reports_query_count_does_not_grow(
    operator_client, cbs, months, django_assert_num_queries
):
    with pinned_clock(2025, 7, 3):
        for month in range(1, months + 1):
            make_report(cbs, 2024, month)
            make_report(cbs, 2023, month, status=Report.Status.ACCEPTED)
        # session, user, her account and organisation; the approved versions (for the to-do
        # and the «open a month» form), the periods, her reports; the menu's permissions (2)
        with django_assert_num_queries(9):
            response = operator_client.get("/stats/reports/")
    assert response.status_code == 200
    assert len(handed_in_rows(response)) == months


def test_report_form_query_count(operator_client, june, django_assert_num_queries):
    post_figures(operator_client, june, {**CLEAN_JUNE, "VS.LOANS": 9000})
    with django_assert_num_queries(11):
        assert operator_client.get(edit_url(june)).status_code == 200


# The PDF of a report handed in ---------------------------------------------------------------


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_operator_downloads_her_submitted_report_as_a_pdf(operator_client, cbs, june):
    cbs.full_name = "Муниципальное бюджетное учреждение «ЦБС Юргинского округа»"
    cbs.save()
    with pinned_clock(2025, 7, 4, hour=15):
        post_figures(
            operator_client,
            june,
            {**CLEAN_JUNE, "VS.EVENT_ATT": 2400},
            submit=True,
            **{"explain_VS.EVENT_ATT": "Районный праздник книги в парке."},
        )
        post_figures(operator_client, june, submit=True)
    june.refresh_from_db()
    assert june.status == Report.Status.SUBMITTED
    page = operator_client.get(edit_url(june)).content.decode()
    assert f'href="/stats/reports/{june.pk}/report.pdf"' in page

    with pinned_clock(2025, 7, 10):
        response = operator_client.get(f"/stats/reports/{june.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "report-VS-v1-2025-06.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert b"pdfaid:part" in reader.xmp_metadata.stream.get_data()  # PDF/A, as every PDF here
    assert reader.metadata.title == (
        "Отчёт по форме «Внестационарное обслуживание»: ЦБС Юргинского округа, июнь 2025"
    )
    text = pdf_text(response)
    for expected in (
        "Муниципальное бюджетное учреждение «ЦБС Юргинского округа»",
        "СТАТИСТИЧЕСКИЙ ОТЧЁТ",
        "По форме «Внестационарное обслуживание» за июнь 2025",
        "Внестационарное обслуживание, версия 1 (код VS), действует",
        "Статус сдан",
        "Сдан в методический центр 4 июля 2025 г., 15:00",
        "Пояснение: Районный праздник книги в парке.",
        "Распечатано с портала 10 июля 2025 г.",
        "Ответственный за статистику",
    ):
        assert expected in text, expected
    # Every line of the form with its unit and figure, in the form's order (an explanation
    # is printed under its line's name).
    flat = normalize(text)
    position = 0
    figures = {**CLEAN_JUNE, "VS.EVENT_ATT": 2400}
    for item in june.form.items.select_related("indicator").order_by("order"):
        indicator = item.indicator
        found = flat.find(normalize(indicator.name), position)
        assert found >= 0, indicator.code
        figure = normalize(f"{indicator.unit}{figures[indicator.code]:,}".replace(",", " "))
        assert 0 <= flat.find(figure, found) - found < 120, indicator.code
        position = found + len(normalize(indicator.name))
    assert "Внесено центром" not in text


def test_a_report_entered_by_the_centre_says_so_in_its_pdf(operator_client, cbs, june):
    services.report_save_values(report=june, values=CLEAN_JUNE, user=None, entry_source="paper")
    services.report_submit(
        report=june, user=None, on_behalf=True, comment="Бумажный отчёт от 4 июля."
    )
    text = pdf_text(operator_client.get(f"/stats/reports/{june.pk}/report.pdf"))
    assert (
        "Внесено центром за библиотеку: показатели получены на бумаге. Бумажный отчёт от 4 июля."
        in text
    )


def test_a_draft_or_another_library_s_report_has_no_pdf(operator_client, cbs, june):
    assert operator_client.get(f"/stats/reports/{june.pk}/report.pdf").status_code == 404
    assert "report.pdf" not in operator_client.get(edit_url(june)).content.decode()
    other = make_report(make_organization("МИБС Тайги"), 2025, 6, CLEAN_JUNE)
    Report.objects.filter(pk=other.pk).update(status=Report.Status.ACCEPTED)
    assert operator_client.get(f"/stats/reports/{other.pk}/report.pdf").status_code == 404
