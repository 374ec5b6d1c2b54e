"""Excel upload of statistics: a report's template round trip, every bad input, bulk imports."""

import datetime
import html
import io
import re
import threading
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kernel.xlsx.writer import workbook_bytes
from stats import importer, services
from stats.exporters.template import report_template_data, report_template_xlsx
from stats.importer import bulk_values_import, report_import
from stats.models import FormTemplate, ImportLog, Indicator, Report, Value
from tests.helpers import (
    LAST_JUNE,
    form_v1,
    make_operator,
    make_organization,
    make_report,
    stored_values,
)

pytestmark = pytest.mark.django_db

SHEET = "Внестационарное обслуживание"
# A consistent month of form v1: every part below its whole.
FIGURES = LAST_JUNE
# The same month a year earlier: close enough that no soft check fires.
LAST_YEAR = {code: value - 1 for code, value in FIGURES.items()}
PARTS = {
    "VS.VISITS.EVENTS",
    "VS.VISITS.CHILD",
    "VS.VISITS.YOUTH",
    "VS.EVENTS.OUTDOOR",
    "VS.EVENTS.ACTIONS",
    "VS.EVENTS.FLASHMOBS",
    "VS.EVENTS.GAMES",
    "VS.EVENTS.MASTERCLASSES",
    "VS.EVENTS.READINGS",
    "VS.EVENT_ATT.OUTDOOR",
}


# Helpers (used by test_excel_template.py and test_exports.py too) -------------------------


stored = stored_values


def template_bytes(report, *, blank=False):
    report = Report.objects.select_related("organization", "form", "period").get(pk=report.pk)
    return report_template_xlsx(report_template_data(report), blank=blank)


def rows_by_code(ws):
    return {ws.cell(row, 1).value: row for row in range(1, ws.max_row + 1) if ws.cell(row, 1).value}


def edited(data: bytes, changes: dict, *, codes: dict | None = None) -> bytes:
    """The workbook with some value cells (column E) or code cells (column A) changed."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    rows = rows_by_code(ws)
    for code, value in changes.items():
        ws.cell(rows[code], 5).value = value
    for code, new_code in (codes or {}).items():
        ws.cell(rows[code], 1).value = new_code
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row_of(data: bytes, code: str) -> int:
    return rows_by_code(openpyxl.load_workbook(io.BytesIO(data)).worksheets[0])[code]


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", text))


def import_url(report):
    return f"/stats/reports/{report.pk}/import/"


def upload(client, report, data: bytes, name="отчёт.xlsx"):
    return client.post(import_url(report), {"file": SimpleUploadedFile(name, data)})


# Fixtures ------------------------------------------------------------------------------


@pytest.fixture
def cbs():
    return make_organization("ЦБС Юргинского округа")


@pytest.fixture
def operator_user(cbs):
    return make_operator(cbs, "operator-yurga")


@pytest.fixture
def operator_client(client, operator_user):
    client.force_login(operator_user)
    return client


@pytest.fixture
def june(cbs):
    """June 2021 as a draft with figures and an explanation; June 2020 accepted."""
    make_report(cbs, 2020, 6, LAST_YEAR, status=Report.Status.ACCEPTED)
    report = make_report(cbs, 2021, 6, FIGURES)
    Value.objects.filter(report=report, indicator__code="VS.POINTS").update(
        explanation="Открыт новый пункт выдачи."
    )
    return report


def assert_rejected(report, response, *messages, before=None):
    """The page lists the messages; nothing was saved; the attempt is logged as rejected."""
    assert response.status_code == 200
    text = page_text(response)
    assert "Книга не загружена; ничего не сохранено." in text
    for message in messages:
        assert message in text
    assert stored(report) == (FIGURES if before is None else before)
    log = ImportLog.objects.get(report=report)
    assert log.outcome == ImportLog.Outcome.REJECTED
    assert log.values_count == 0
    # Numbers are grouped by no-break spaces, which the page's text shows as spaces.
    logged = [e["message"].replace("\u00a0", " ") for e in log.errors]
    assert logged[: len(messages)] == list(messages)


# The round trip ---------------------------------------------------------------------------


def test_filled_template_round_trip_lands_every_value(operator_client, june, operator_user):
    response = operator_client.get(f"/stats/reports/{june.pk}/template.xlsx")
    assert response.status_code == 200
    changes = {"VS.POINTS": 13, "VS.EVENTS": 44, "VS.EVENTS.OUTDOOR": 28}
    data = edited(response.content, changes)

    response = upload(operator_client, june, data, "июнь.xlsx")

    assert response.status_code == 302
    assert response["Location"] == f"/stats/reports/{june.pk}/"
    assert stored(june) == {**FIGURES, **changes}
    # The operator's explanation survives an import while its warning stands (13 against
    # last year's 11 is no warning: the explanation went with it).
    log = ImportLog.objects.get(report=june)
    assert (log.outcome, log.values_count, log.errors) == (ImportLog.Outcome.IMPORTED, 20, [])
    assert (log.user, log.filename) == (operator_user, "июнь.xlsx")
    june.refresh_from_db()
    assert june.version > 1
    page = page_text(operator_client.get(import_url(june)))
    assert "Книга загружена. Сохранено значений: 20." in page


def test_an_upload_that_empties_stored_figures_asks_first_and_names_them(
    operator_client, june, operator_user
):
    data = edited(template_bytes(june), {"VS.POINTS": 13, "VS.LOANS": None, "VS.USERS": None})
    response = upload(operator_client, june, data, "июнь.xlsx")
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Файл оставляет пустыми 2 показателя, сохранённых в отчёте. Пока ничего не изменено."
        in text
    )
    assert "«Выдано документов вне стационара»: сейчас 1800, в файле пусто" in text
    assert "«Число пользователей, обслуженных вне стационара»: сейчас 900, в файле пусто" in text
    assert 'name="confirm_clear"' in response.content.decode()
    assert stored(june) == FIGURES  # nothing yet
    assert ImportLog.objects.get(report=june).outcome == ImportLog.Outcome.REJECTED

    response = operator_client.post(import_url(june), {"confirm_clear": "1"}, follow=True)
    assert "Книга загружена. Сохранено значений: 18." in page_text(response)
    expected = {**FIGURES, "VS.POINTS": 13}
    del expected["VS.LOANS"], expected["VS.USERS"]
    assert stored(june) == expected
    landed = ImportLog.objects.filter(report=june, outcome=ImportLog.Outcome.IMPORTED).get()
    assert (landed.filename, landed.user, landed.values_count) == ("июнь.xlsx", operator_user, 18)
    # The confirmation is used once.
    again = operator_client.post(import_url(june), {"confirm_clear": "1"}, follow=True)
    assert "Подтверждать нечего: загрузите файл ещё раз." in page_text(again)


def test_cancelling_an_upload_that_empties_figures_changes_nothing(operator_client, june):
    upload(operator_client, june, edited(template_bytes(june), {"VS.LOANS": None}))
    response = operator_client.post(import_url(june), {"cancel": "1"}, follow=True)
    assert "Загрузка отменена; ничего не изменено." in page_text(response)
    assert stored(june) == FIGURES


def test_a_confirmation_after_another_save_is_refused_as_stale(operator_client, june, cbs):
    upload(operator_client, june, edited(template_bytes(june), {"VS.LOANS": None}))
    colleague = make_operator(cbs, "kollega-yurga")
    colleague.first_name, colleague.last_name = "Ольга", "Смирнова"
    colleague.save()
    services.report_save_values(report=june, values={**FIGURES, "VS.USERS": 901}, user=colleague)
    response = operator_client.post(import_url(june), {"confirm_clear": "1"})
    assert "в нём были сохранены другие значения (Ольга Смирнова" in page_text(response)
    assert stored(june) == {**FIGURES, "VS.USERS": 901}


def test_the_blank_template_sent_back_unfilled_changes_nothing_and_says_so(operator_client, june):
    blank = operator_client.get(f"/stats/reports/{june.pk}/template.xlsx?blank=1").content
    response = upload(operator_client, june, blank)
    assert_rejected(
        june,
        response,
        "В файле нет ни одного показателя: все ячейки значений пусты. Ничего не изменено; "
        "заполните жёлтые ячейки и загрузите файл снова.",
    )
    assert "Сохранено значений: 0" not in page_text(response)


def test_blank_template_fills_an_empty_report(operator_client, cbs):
    report = make_report(cbs, 2021, 7)
    blank = operator_client.get(f"/stats/reports/{report.pk}/template.xlsx?blank=1").content
    response = upload(operator_client, report, edited(blank, FIGURES))
    assert response.status_code == 302
    assert stored(report) == FIGURES
    assert not report.check_results.filter(severity="hard").exists()


def test_import_into_a_returned_report_lands(operator_client, june):
    Report.objects.filter(pk=june.pk).update(status=Report.Status.RETURNED)
    response = upload(operator_client, june, edited(template_bytes(june), {"VS.USERS": 950}))
    assert response.status_code == 302
    assert stored(june)["VS.USERS"] == 950


def test_soft_warnings_after_an_import_are_announced(operator_client, june):
    response = upload(operator_client, june, edited(template_bytes(june), {"VS.USERS": 5000}))
    assert response.status_code == 302
    page = page_text(operator_client.get(import_url(june)))
    assert "Проверки нашли предупреждения (1): объясните каждое перед отправкой отчёта." in page


def test_the_upload_page_shows_a_file_field(operator_client, june):
    response = operator_client.get(import_url(june))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert 'type="file"' in content and 'name="file"' in content
    assert "Заполненная книга (.xlsx)" in page_text(response)


# Files that are not workbooks ---------------------------------------------------------------


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(60):  # 60 MB of zeros in about 60 KB
                entry.write(b"\0" * (1 << 20))
    return buffer.getvalue()


NOT_WORKBOOKS = {
    "pdf": (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "Файл — документ PDF, а не книга Excel.",
    ),
    "csv": (
        "Организация;Год;Месяц;Код;Значение\nЦБС;2021;6;VS.POINTS;12\n".encode("cp1251"),
        "Файл — текстовый (CSV или подобный), а не книга Excel.",
    ),
    "csv-utf8": (
        "Код,Значение\nVS.POINTS,12\nVS.EVENTS,40\n".encode(),
        "Файл — текстовый (CSV или подобный), а не книга Excel.",
    ),
    "empty": (b"", "Файл пустой."),
    "xls": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
        "Файл — книга Excel 97–2003 (.xls) или книга, защищённая паролем;",
    ),
    "zip-bomb": (None, "В распакованном виде книга заняла бы 60,0"),
    "too-big": (b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024), "Файл слишком большой (5,0"),
    "random": (bytes(range(256)) * 4, "Файл не является книгой Excel (.xlsx)"),
}


@pytest.mark.parametrize("kind", list(NOT_WORKBOOKS))
def test_a_file_that_is_not_a_workbook_is_refused_by_its_content(operator_client, june, kind):
    data, message = NOT_WORKBOOKS[kind]
    if data is None:
        data = zip_bomb()
    response = upload(operator_client, june, data, "отчёт.xlsx")
    assert_rejected(june, response)
    log = ImportLog.objects.get(report=june)
    assert log.errors[0]["message"].startswith(message)
    assert message in page_text(response)
    assert log.filename == "отчёт.xlsx"


def test_an_xml_entity_declaration_in_the_sheet_is_refused(operator_client, june):
    source = zipfile.ZipFile(io.BytesIO(template_bytes(june)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            payload = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert payload.startswith(b"<worksheet")
                payload = b'<!DOCTYPE worksheet [<!ENTITY boom "boom">]>' + payload
            archive.writestr(info, payload)
    response = upload(operator_client, june, buffer.getvalue())
    assert_rejected(
        june,
        response,
        "Книга объявляет XML-сущности, которые портал из соображений безопасности не "
        "принимает. Откройте её в Excel, сохраните заново как «Книга Excel (*.xlsx)» и "
        "загрузите.",
    )


def test_a_workbook_that_is_not_the_portal_template_is_refused(operator_client, june):
    wb = openpyxl.Workbook()
    wb.active.append(["VS.POINTS", 12])
    response = upload(operator_client, june, workbook_bytes(wb))
    assert_rejected(
        june,
        response,
        "Книга не является шаблоном отчёта портала: в ней нет скрытых отметок формы и "
        "периода. Скачайте шаблон на странице отчёта, заполните его и загрузите.",
    )


# Wrong cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "typed", "reason"),
    [
        ("VS.EVENTS", -3, "«-3» — значение не может быть отрицательным."),
        ("VS.EVENTS", "-3", "«-3» — значение не может быть отрицательным."),
        ("VS.USERS", 12.5, "«12,5» — допускаются только целые числа."),
        ("VS.USERS", "12,5", "«12,5» — допускаются только целые числа."),
        ("VS.LOANS", "много", "«много» — не число."),
        ("VS.LOANS", "12 шт.", "«12 шт.» — не число."),
        # Ambiguous text is refused, never guessed: «1,000» is a thousand or one.
        (
            "VS.LOANS",
            "1,000",
            "«1,000» читается двояко: запятая или точка между группами цифр может отделять и "
            "тысячи, и дробную часть. Введите число без них.",
        ),
        ("VS.LOANS", "1e3", "«1e3» записано с порядком: введите число полностью."),
        # The form's own bound, for numbers and text alike.
        (
            "VS.LOANS",
            1_000_000_001,
            "«1000000001» — слишком большое число: форма допускает не больше 1 000 000 000.",
        ),
        (
            "VS.LOANS",
            "9007199254740993.0",
            "«9007199254740993.0» — слишком большое число: форма допускает не больше "
            "1 000 000 000.",
        ),
        # A cell that is no number says what it holds, as the spreadsheet shows it.
        (
            "VS.LOANS",
            True,
            "в ячейке логическое значение ИСТИНА, а не число.",
        ),
        (
            "VS.LOANS",
            datetime.datetime(2025, 6, 1),
            "в ячейке дата или время (1 июня 2025 г.), а не число. Задайте ячейке числовой "
            "формат и введите показатель.",
        ),
    ],
)
def test_a_wrong_value_is_refused_with_its_sheet_row_and_column(
    operator_client, june, code, typed, reason
):
    data = edited(template_bytes(june), {code: typed, "VS.POINTS": 99})
    row = row_of(data, code)
    response = upload(operator_client, june, data)
    assert_rejected(june, response, f"Лист «{SHEET}», строка {row}, столбец E: {reason}")
    error = ImportLog.objects.get(report=june).errors[0]
    assert (error["sheet"], error["row"], error["column"]) == (SHEET, row, "E")


def test_every_wrong_cell_is_listed_at_once(operator_client, june):
    data = edited(template_bytes(june), {"VS.EVENTS": -1, "VS.USERS": "x", "VS.LOANS": 0.5})
    upload(operator_client, june, data)
    errors = ImportLog.objects.get(report=june).errors
    # In the order of the rows: users, loans, events.
    assert [e["code"] for e in errors] == ["not_a_number", "fractional", "negative"]


def test_a_part_above_its_whole_is_saved_as_the_web_form_saves_it(operator_client, june):
    """One rule for the web form and Excel: the draft keeps the figures, the error stops
    submission until corrected."""
    data = edited(template_bytes(june), {"VS.EVENTS.OUTDOOR": 41})
    response = upload(operator_client, june, data)
    assert response.status_code == 302
    assert stored(june)["VS.EVENTS.OUTDOOR"] == 41
    page = operator_client.get(f"/stats/reports/{june.pk}/")
    text = page_text(page)
    assert "Проверка нашла ошибки (1): значения сохранены в черновике" in text
    assert "Часть («из них»: 41) больше целого «Число мероприятий вне стационара» (40)." in text
    assert june.check_results.filter(code="part_above_whole", severity="hard").count() == 1
    submitted = operator_client.post(f"/stats/reports/{june.pk}/submit/", follow=True)
    assert "В отчёте есть ошибки: исправьте их перед сдачей." in page_text(submitted)


def test_an_unknown_indicator_code_is_refused(operator_client, june):
    data = edited(template_bytes(june), {}, codes={"VS.LOANS": "VS.LOANS_OLD"})
    row = row_of(data, "VS.LOANS_OLD")
    response = upload(operator_client, june, data)
    assert_rejected(
        june,
        response,
        f"Лист «{SHEET}», строка {row}, столбец A: «VS.LOANS_OLD» — не код показателя формы.",
    )


def test_a_code_given_twice_is_refused(operator_client, june):
    data = edited(template_bytes(june), {}, codes={"VS.LOANS": "VS.USERS"})
    first = row_of(template_bytes(june), "VS.USERS")
    second = row_of(template_bytes(june), "VS.LOANS")
    response = upload(operator_client, june, data)
    assert_rejected(
        june,
        response,
        f"Лист «{SHEET}», строка {second}, столбец A: показатель «VS.USERS» указан второй раз "
        f"(впервые в строке {first}).",
    )


def test_a_template_of_another_month_is_refused(operator_client, june, cbs):
    may = make_report(cbs, 2021, 5)
    response = upload(operator_client, june, edited(template_bytes(may), {"VS.POINTS": 1}))
    assert_rejected(
        june,
        response,
        "Книга составлена за май 2021, а этот отчёт — за июнь 2021. Скачайте шаблон на "
        "странице этого отчёта.",
    )


def test_a_template_of_another_organisation_is_refused(operator_client, june):
    other = make_report(make_organization("МИБС Тайги"), 2021, 6)
    response = upload(operator_client, june, edited(template_bytes(other), {"VS.POINTS": 1}))
    assert_rejected(
        june,
        response,
        "Книга — шаблон отчёта другой организации. Скачайте шаблон на странице этого отчёта.",
    )


def test_a_template_of_another_form_version_is_refused(operator_client, june, cbs):
    v2 = FormTemplate.objects.create(code="VS", version=2, name="Внестационарное обслуживание")
    for item in form_v1().items.all():
        v2.items.create(indicator=item.indicator, order=item.order, section=item.section)
    # A month has one report: the draft of version 2 is another organisation's.
    report_v2 = Report.objects.create(
        organization=make_organization("ЦБС другой версии"),
        form=v2,
        period=june.period,
    )
    response = upload(operator_client, june, template_bytes(report_v2))
    assert_rejected(
        june,
        response,
        "Книга — шаблон другой формы (VS/2), а отчёт составляется по форме "
        "«Внестационарное обслуживание, версия 1» (VS/1).",
    )


# Who and when ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Report.Status.ACCEPTED, Report.Status.SUBMITTED])
def test_an_import_into_a_report_past_draft_is_refused(operator_client, june, status):
    data = edited(template_bytes(june), {"VS.POINTS": 50})
    Report.objects.filter(pk=june.pk).update(status=status)
    label = {"accepted": "принят", "submitted": "сдан"}[status]
    response = upload(operator_client, june, data)
    assert response.status_code == 200
    assert stored(june) == FIGURES
    log = ImportLog.objects.get(report=june)
    assert log.outcome == ImportLog.Outcome.REJECTED
    assert log.errors[0]["message"] == (
        f"Отчёт в статусе «{label}»: книгу можно загрузить только в черновик или в отчёт, "
        "возвращённый на доработку. Ничего не сохранено."
    )
    assert log.errors[0]["message"] in page_text(response)


def test_another_organisations_report_is_404_and_nothing_is_logged(client, june):
    stranger = make_operator(make_organization("ЦБС Мариинска"), "operator-mariinsk")
    client.force_login(stranger)
    data = edited(template_bytes(june), {"VS.POINTS": 1})
    assert client.get(import_url(june)).status_code == 404
    assert upload(client, june, data).status_code == 404
    assert stored(june) == FIGURES
    assert not ImportLog.objects.exists()


def test_the_centre_and_anonymous_users_cannot_import(client, june, centre_methodist):
    data = template_bytes(june)
    response = upload(client, june, data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(centre_methodist)
    assert upload(client, june, data).status_code == 404
    assert not ImportLog.objects.exists()


def test_an_upload_without_a_file_shows_the_form_error(operator_client, june):
    response = operator_client.post(import_url(june), {})
    assert response.status_code == 200
    assert "Обязательное поле." in page_text(response)
    assert not ImportLog.objects.exists()


def make_small_form():
    """A form of a whole and its part, for the transactional tests below: they cannot count
    on form v1, as another transactional test may have flushed the data migrations' rows."""
    form = FormTemplate.objects.create(
        code="T", version=1, name="Проверочная форма", valid_from=datetime.date(2000, 1, 1)
    )
    whole = Indicator.objects.create(code="T.WHOLE", name="Всего")
    part = Indicator.objects.create(code="T.PART", name="из них", parent=whole)
    form.items.create(indicator=whole, order=1)
    form.items.create(indicator=part, order=2)
    return services.form_approve(form=form, approved_on=datetime.date(2021, 1, 1)).form


# Transactional: the values' transaction really rolls back while the log commits.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rejection_log_outlives_the_rolled_back_values(cbs):
    """The report was submitted meanwhile (the row lock sees it inside the values'
    transaction): the import is refused, and its log stays."""
    report = make_report(cbs, 2021, 6, {"T.WHOLE": 10, "T.PART": 4}, form=make_small_form())
    data = edited(template_bytes(report), {"T.WHOLE": 30})
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    result = report_import(report=report, fileobj=io.BytesIO(data), filename="a.xlsx", user=None)
    assert [e.code for e in result.errors] == ["not_editable"]
    assert stored(report) == {"T.WHOLE": 10, "T.PART": 4}
    report.refresh_from_db()
    assert report.version == 1
    assert ImportLog.objects.get(report=report).outcome == ImportLog.Outcome.REJECTED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_imports_of_one_report_do_not_duplicate_values(cbs):
    report = make_report(cbs, 2021, 6, form=make_small_form())
    files = [edited(template_bytes(report), {"T.WHOLE": n, "T.PART": 1}) for n in (5, 6)]
    results, barrier = [], threading.Barrier(2)

    def run(data):
        barrier.wait()
        try:
            results.append(
                report_import(report=report, fileobj=io.BytesIO(data), filename="x.xlsx", user=None)
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(data,)) for data in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and all(result.ok for result in results)
    assert Value.objects.filter(report=report).count() == 2
    assert stored(report)["T.WHOLE"] in (5, 6)
    assert ImportLog.objects.filter(report=report, outcome="imported").count() == 2


# Many reports at once (the centre's bulk import) --------------------------------------------


def bulk_workbook(rows) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Данные")
    ws.append(["Организация", "Год", "Месяц", "Код", "Значение"])
    for row in rows:
        ws.append(row)
    return workbook_bytes(wb)


def bulk_rows(organizations, months, year=2021):
    """Rows of consistent figures: 20 per organisation and month."""
    return [
        [organization.short_name, year, month, code, 1 if code in PARTS else 100 + month]
        for organization in organizations
        for month in months
        for code in FIGURES
    ]


@pytest.fixture
def library_systems():
    return [make_organization(f"ЦБС № {n:02d} для импорта") for n in range(25)]


def test_bulk_import_of_5000_values_lands_whole(library_systems, centre_methodist):
    rows = bulk_rows(library_systems, range(1, 11))
    assert len(rows) == 5000
    result = bulk_values_import(
        fileobj=io.BytesIO(bulk_workbook(rows)), user=centre_methodist, filename="свод.xlsx"
    )
    assert result.ok, result.errors[:3]
    assert result.values_count == 5000 and len(result.reports) == 250
    assert Value.objects.count() == 5000
    assert Report.objects.filter(status=Report.Status.DRAFT).count() == 250
    assert ImportLog.objects.filter(outcome="imported", values_count=20).count() == 250
    assert stored(Report.objects.get(organization=library_systems[3], period__month=7)) == {
        code: 1 if code in PARTS else 107 for code in FIGURES
    }


def test_a_wrong_value_in_row_4999_of_5000_saves_nothing(library_systems, cbs):
    existing = make_report(cbs, 2021, 1, FIGURES)
    rows = bulk_rows(library_systems, range(1, 11))
    # Excel row 4,999: the header is row 1, so this is the 4,998th row of figures.
    rows[4997][4] = "-7"
    result = bulk_values_import(fileobj=io.BytesIO(bulk_workbook(rows)), filename="свод.xlsx")
    assert not result.ok
    assert [e.message for e in result.errors] == [
        "Лист «Данные», строка 4999, столбец E: «-7» — значение не может быть отрицательным."
    ]
    assert Report.objects.count() == 1 and Value.objects.count() == len(FIGURES)
    assert stored(existing) == FIGURES
    # The refusal is logged once, on no report: the file landed in none.
    log = ImportLog.objects.get()
    assert (log.report, log.outcome, log.filename) == (None, "rejected", "свод.xlsx")
    assert [e["message"] for e in log.errors] == [e.message for e in result.errors]


def count_bulk_queries(organizations, months) -> tuple[int, int]:
    rows = bulk_rows(organizations, months)
    for month in months:  # periods exist already, as they do once the year has begun
        services.period_for(year=2021, month=month)
    with CaptureQueriesContext(connection) as queries:
        result = bulk_values_import(fileobj=io.BytesIO(bulk_workbook(rows)))
    assert result.ok
    return len(queries), len(result.reports)


def test_bulk_import_queries_are_constant_per_batch_not_per_row(library_systems):
    assert importer.REPORTS_PER_BATCH == 50
    small, small_reports = count_bulk_queries(library_systems[:5], range(1, 11))  # 1,000 rows
    Report.objects.all().delete()
    large, large_reports = count_bulk_queries(library_systems, range(1, 11))  # 5,000 rows
    assert (small_reports, large_reports) == (50, 250)
    # One batch of 50 reports against five: the same queries for every batch, and a
    # constant number to check the file (none per row or report).
    per_batch = (large - small) / 4
    print(f"bulk import queries: {small} for 1,000 rows, {large} for 5,000 rows")
    # A batch: create its reports, their values, last year's, the form's check thresholds,
    # checks, versions, logs (with history rows, and a savepoint); SQLite splits a 1,000-row
    # insert into statements of 999 parameters.
    assert per_batch == (28 if connection.vendor == "sqlite" else 15)
    # Checking the whole file: the form, organisations, reports and their values, periods.
    assert small - per_batch == 7


def test_bulk_import_of_two_years_checks_the_second_against_the_first_in_the_file(
    library_systems,
):
    # June 2020 and June 2021 in one file, 2021 in an earlier sheet row than 2020: the soft
    # checks of 2021 see 2020 as the file gives it, though neither was stored before.
    rows = bulk_rows(library_systems[:1], (6,), year=2021) + bulk_rows(
        library_systems[:1], (6,), year=2020
    )
    for row in rows:
        if row[1] == 2021 and row[3] == "VS.POINTS":
            row[4] = 0
    result = bulk_values_import(fileobj=io.BytesIO(bulk_workbook(rows)))
    assert result.ok, result.errors[:3]
    dropped = [w for w in result.warnings if w.code == "dropped_to_zero"]
    assert [(w.indicator, w.message) for w in dropped] == [
        ("VS.POINTS", "Значение упало до нуля (в прошлом году: 106).")
    ]
    june_2021 = Report.objects.get(period__year=2021, period__month=6)
    assert june_2021.check_results.filter(code="dropped_to_zero").count() == 1


def test_bulk_import_refuses_accepted_reports_and_saves_nothing(library_systems):
    accepted = make_report(library_systems[0], 2021, 2, FIGURES, status=Report.Status.ACCEPTED)
    rows = bulk_rows(library_systems[:2], (1, 2))
    result = bulk_values_import(fileobj=io.BytesIO(bulk_workbook(rows)))
    assert [e.message for e in result.errors] == [
        "Лист «Данные», строка 22: у отчёта ЦБС № 00 для импорта за февраль 2021 статус "
        "«принят»; его показатели нельзя изменить импортом."
    ]
    assert Report.objects.count() == 1 and stored(accepted) == FIGURES


def test_bulk_import_names_unknown_organisations_codes_and_dates(library_systems):
    rows = [
        ["Нет такой ЦБС", 2021, 1, "VS.POINTS", 1],
        [library_systems[0].short_name, 1890, 13, "VS.NOPE", 1],
        ["", 2021, 1, "VS.POINTS", 2.5],
    ]
    result = bulk_values_import(fileobj=io.BytesIO(bulk_workbook(rows)))
    assert [e.message for e in result.errors] == [
        "Лист «Данные», строка 3, столбец B: «1890» — не год.",
        "Лист «Данные», строка 3, столбец C: «13» — не номер месяца от 1 до 12.",
        "Лист «Данные», строка 3, столбец D: «VS.NOPE» — не код показателя формы.",
        "Лист «Данные», строка 4, столбец A: организация не указана.",
        "Лист «Данные», строка 4, столбец E: «2,5» — допускаются только целые числа.",
        "Лист «Данные», строка 2, столбец A: «Нет такой ЦБС» — не краткое наименование "
        "организации на портале.",
    ]
    assert not Report.objects.exists()


def test_bulk_import_saves_parts_above_wholes_as_drafts_with_the_error(library_systems):
    rows = bulk_rows(library_systems[:1], (6,))
    for row in rows:
        if row[3] == "VS.EVENTS.OUTDOOR":
            row[4] = 500
    result = bulk_values_import(fileobj=io.BytesIO(bulk_workbook(rows)))
    assert result.ok
    [error] = result.hard_findings
    assert error.message == (
        "Часть («из них»: 500) больше целого «Число мероприятий вне стационара» (106)."
    )
    report = Report.objects.get()
    assert report.status == Report.Status.DRAFT and stored(report)["VS.EVENTS.OUTDOOR"] == 500
    assert report.check_results.filter(code="part_above_whole").exists()


def test_the_import_stats_command_prints_errors_in_russian(tmp_path, library_systems):
    path = tmp_path / "свод.xlsx"
    path.write_bytes(bulk_workbook([[library_systems[0].short_name, 2021, 6, "VS.POINTS", -1]]))
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="Книга не загружена; ничего не сохранено."):
        call_command("import_stats", str(path), stderr=stderr)
    assert "строка 2, столбец E: «-1» — значение не может быть отрицательным." in (
        stderr.getvalue()
    )


def test_the_import_stats_command_imports(tmp_path, library_systems):
    path = tmp_path / "свод.xlsx"
    path.write_bytes(bulk_workbook(bulk_rows(library_systems[:2], (6, 7))))
    stdout = io.StringIO()
    call_command("import_stats", str(path), "--form", "VS", stdout=stdout)
    assert "Загружено значений: 80; отчётов: 4." in stdout.getvalue()
    assert Value.objects.count() == 80


def test_bulk_import_refuses_figures_above_the_forms_bound_and_ambiguous_text(library_systems):
    rows = bulk_rows(library_systems[:1], (6,))
    rows[0][4] = 10**9 + 1
    rows[1][4] = "1.500"
    rows[2][1] = datetime.datetime(2021, 1, 1)  # a date typed where the year goes
    result = bulk_values_import(fileobj=io.BytesIO(bulk_workbook(rows)))
    assert [e.message.replace("\u00a0", " ") for e in result.errors] == [
        "Лист «Данные», строка 2, столбец E: «1000000001» — слишком большое число: форма "
        "допускает не больше 1 000 000 000.",
        "Лист «Данные», строка 3, столбец E: «1.500» читается двояко: запятая или точка между "
        "группами цифр может отделять и тысячи, и дробную часть. Введите число без них.",
        "Лист «Данные», строка 4, столбец B: «1 января 2021 г.» — не год.",
    ]
    assert not Report.objects.exists()


def test_bulk_import_refuses_a_formula_saved_without_its_result(library_systems):
    # openpyxl saves "=…" as a formula with no computed value: it would read as empty.
    rows = bulk_rows(library_systems[:1], (6,))
    rows[2][4] = "=100+6"
    result = bulk_values_import(fileobj=io.BytesIO(bulk_workbook(rows)))
    assert [e.message for e in result.errors] == [
        "Лист «Данные», строка 4, столбец E: в ячейке формула, сохранённая без результата. "
        "Откройте книгу в Excel или LibreOffice и сохраните её или введите число."
    ]
    assert not Report.objects.exists()
