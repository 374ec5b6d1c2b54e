"""Hostile workbooks: refused by what they would cost before anything is read, in words, logged.

The three an outside probe took the portal down with (a million rows; 2.7 million shared
strings; 550,000 repeated rows), each a few hundred kilobytes that a reader would inflate to
hundreds of megabytes and tens of seconds, through every road in: a report's template on
its page, the bulk import and `manage.py import_stats`. Their cost is measured by
`make bench`; here the refusal, its message, its log and that nothing was saved.
"""

import http.client
import io
import re
import threading
import time
import tracemalloc
import uuid
import zipfile
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command

from kernel.xlsx import hostile as hostile_xlsx
from kernel.xlsx.upload import open_uploaded_workbook
from kernel.xlsx.writer import workbook_bytes
from stats.exporters import form_mark, period_mark, sheet_title
from stats.importer import bulk_values_import, report_import
from stats.importer.reading import bulk_limits, template_limits
from stats.models import ImportLog, Report, Value
from tests.helpers import LAST_JUNE, form_v1, make_operator, make_organization, make_report
from tests.stats.test_import import bulk_workbook, page_text, stored, template_bytes, upload

pytestmark = pytest.mark.django_db

FIGURES = LAST_JUNE
KINDS = ["million_rows", "shared_string_flood", "repeated_rows"]
NOT_LOADED = "Книга не загружена; ничего не сохранено."


def on_page(message: str, response) -> bool:
    # page_text() folds every space, the non-breaking ones of numbers too.
    return message.replace("\xa0", " ") in page_text(response)


def marks_of(report) -> dict[str, str]:
    return {
        "PORTAL_FORM": form_mark(report.form),
        "PORTAL_ORGANIZATION": str(report.organization_id),
        "PORTAL_PERIOD": period_mark(report.period),
    }


def probe(kind: str, report) -> hostile_xlsx.Probe:
    """The hostile workbook of this kind, carrying the marks of the report's own template."""
    title = sheet_title(report.form.name)
    marks = marks_of(report)
    if kind == "million_rows":
        return hostile_xlsx.million_rows(marks, title=title)
    if kind == "shared_string_flood":
        return hostile_xlsx.shared_string_flood(marks, FIGURES, title=title)
    return hostile_xlsx.repeated_rows(marks, "VS.POINTS", title=title)


def unpacked(data: bytes) -> str:
    size = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) / 2**20
    return f"{size:.1f}".replace(".", ",")


@pytest.fixture
def cbs(db):
    return make_organization("ЦБС Юргинского округа")


@pytest.fixture
def june(cbs):
    return make_report(cbs, 2021, 6, FIGURES)


@pytest.fixture
def operator_client(client, cbs):
    client.force_login(make_operator(cbs, "operator-yurga"))
    return client


# --- A report's template, on its page ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_template_upload_is_refused_in_words_and_logged(operator_client, june, kind):
    data = probe(kind, june).content
    response = upload(operator_client, june, data)
    assert response.status_code == 200
    message = (
        f"В распакованном виде книга заняла бы {unpacked(data)}\xa0МБ; допускается не более "
        "10,0\xa0МБ. Удалите лишние листы и рисунки или разделите данные на несколько файлов."
    )
    assert NOT_LOADED in page_text(response)
    assert on_page(message, response)
    assert stored(june) == FIGURES
    log = ImportLog.objects.get()
    assert (log.report, log.outcome, log.values_count) == (june, "rejected", 0)
    assert [e["message"] for e in log.errors] == [message]


def template_with(report, *, extra_rows: int = 0, texts: int = 0) -> bytes:
    """The report's real template with rows of notes under the table, or unused texts."""
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(report)))
    ws = wb.worksheets[0]
    start = ws.max_row + 1
    for row in range(start, start + extra_rows):
        ws.cell(row, 7).value = f"примечание {row}"
    data = workbook_bytes(wb)
    if texts:
        # openpyxl writes texts inline; Excel keeps them in a shared-strings part.
        source = zipfile.ZipFile(io.BytesIO(data))
        strings = b"".join(b"<si><t>%d</t></si>" % n for n in range(texts))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for info in source.infolist():
                archive.writestr(info, source.read(info))
            archive.writestr(
                "xl/sharedStrings.xml",
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + strings
                + b"</sst>",
            )
        data = buffer.getvalue()
    return data


def test_the_templates_limits_come_from_the_forms_shape(operator_client, june):
    lines = form_v1().items.count()
    limits = template_limits(lines)
    assert (lines, limits.max_rows, limits.max_cells) == (20, 180, 2880)
    # The template itself, and with a hundred rows of notes under it, land.
    rows = openpyxl.load_workbook(io.BytesIO(template_bytes(june))).worksheets[0].max_row
    response = upload(operator_client, june, template_with(june, extra_rows=100))
    assert response.status_code == 302, page_text(response)[:500]
    # A row past the limit is refused by the count, before the sheet is read.
    response = upload(operator_client, june, template_with(june, extra_rows=181 - rows))
    message = (
        "В книге больше строк, чем допускается (не более 180). Удалите лишние строки или "
        "разделите данные на несколько файлов."
    )
    assert on_page(message, response)
    response = upload(operator_client, june, template_with(june, texts=2_881))
    assert on_page("В книге больше разных текстов, чем допускается (не более 2\xa0880).", response)
    assert list(ImportLog.objects.order_by("at", "pk").values_list("outcome", flat=True)) == [
        "imported",
        "rejected",
        "rejected",
    ]


# --- Many reports at once: the bulk import and its command ------------------------------------


@pytest.fixture
def counts():
    def now():
        return Report.objects.count(), Value.objects.count()

    return now


@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_bulk_file_is_refused_in_words_and_logged(june, centre_methodist, kind, counts):
    before = counts()
    result = bulk_values_import(
        fileobj=io.BytesIO(probe(kind, june).content), user=centre_methodist, filename="свод.xlsx"
    )
    limit = "24\xa0001"
    message = {
        "million_rows": f"В книге больше строк, чем допускается (не более {limit}). Удалите "
        "лишние строки или разделите данные на несколько файлов.",
        "shared_string_flood": "В книге больше разных текстов, чем допускается (не более "
        f"{limit}). Удалите лишние тексты или разделите данные на несколько файлов.",
        "repeated_rows": f"В книге больше строк, чем допускается (не более {limit}). Удалите "
        "лишние строки или разделите данные на несколько файлов.",
    }[kind]
    assert [e.message for e in result.errors] == [message]
    assert counts() == before and stored(june) == FIGURES
    log = ImportLog.objects.get()
    assert (log.report, log.user, log.outcome, log.filename) == (
        None,
        centre_methodist,
        "rejected",
        "свод.xlsx",
    )
    assert [e["message"] for e in log.errors] == [message]


def test_import_stats_refuses_a_hostile_file_in_words_and_logs_it(june, tmp_path, counts):
    path = tmp_path / "свод.xlsx"
    path.write_bytes(probe("million_rows", june).content)
    before = counts()
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="Книга не загружена; ничего не сохранено."):
        call_command("import_stats", str(path), stderr=stderr)
    assert "В книге больше строк, чем допускается (не более 24\xa0001)." in stderr.getvalue()
    assert counts() == before
    log = ImportLog.objects.get()
    assert (log.report, log.outcome, log.filename) == (None, "rejected", "свод.xlsx")


def test_a_year_of_45_library_systems_is_within_the_bulk_limits():
    organizations = [f"ЦБС № {n:02d}" for n in range(45)]
    rows = [
        [organization, 2021, month, code, 1]
        for organization in organizations
        for month in range(1, 13)
        for code in FIGURES
    ]
    assert len(rows) == 10_800
    limits = bulk_limits(form_v1().items.count())
    open_uploaded_workbook(io.BytesIO(bulk_workbook(rows)), limits=limits).close()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("road", ["template", "bulk"])
def test_a_hostile_workbook_is_refused_in_under_50_mb(june, kind, road):
    data = probe(kind, june).content
    tracemalloc.start()
    try:
        if road == "template":
            result = report_import(
                report=june, fileobj=io.BytesIO(data), filename="x.xlsx", user=None
            )
        else:
            result = bulk_values_import(fileobj=io.BytesIO(data), filename="x.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not result.ok and result.errors[0].code.startswith("too_")
    assert peak < 50 * 2**20, f"{peak / 2**20:.1f} MB"


# --- The portal answers while hostile uploads are refused -------------------------------------


def multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthz_answers_while_five_hostile_uploads_run_at_once(live_server, migrated_data):
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    cbs = make_organization("ЦБС Юргинского округа")
    operator = make_operator(cbs, "operator-yurga")
    report = make_report(cbs, 2021, 6, FIGURES)
    session = SessionStore()
    session[SESSION_KEY] = str(operator.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = operator.get_session_auth_hash()
    session.save()
    token = "a" * 32
    cookies = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={token}"
    probes = [probe(kind, report).content for kind in (*KINDS, *KINDS[:2])]
    host = urlsplit(live_server.url)

    def post(data: bytes) -> tuple[int, str]:
        content_type, body = multipart({"csrfmiddlewaretoken": token}, "отчёт.xlsx", data)
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        try:
            connection.request(
                "POST",
                f"/stats/reports/{report.pk}/import/",
                body=body,
                headers={"Content-Type": content_type, "Cookie": cookies},
            )
            answer = connection.getresponse()
            return answer.status, answer.read().decode()
        finally:
            connection.close()

    uploads: list[tuple[int, str]] = []
    start = threading.Barrier(len(probes) + 1)

    def run(data):
        start.wait()
        uploads.append(post(data))

    threads = [threading.Thread(target=run, args=(data,)) for data in probes]
    for thread in threads:
        thread.start()
    start.wait()
    polls = []
    while any(thread.is_alive() for thread in threads) or len(polls) < 3:
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        try:
            connection.request("GET", "/healthz/")
            answer = connection.getresponse()
            polls.append((answer.status, answer.read()))
        finally:
            connection.close()
        time.sleep(0.02)
    for thread in threads:
        thread.join()
    assert set(polls) == {(200, b"ok")}
    assert len(uploads) == 5
    for status, html in uploads:
        assert status == 200
        assert NOT_LOADED in re.sub(r"\s+", " ", html)
        assert "допускается не более 10,0\xa0МБ" in html
    assert ImportLog.objects.filter(report=report, outcome="rejected").count() == 5
    assert stored(report) == FIGURES


# --- What the reader must keep: the cell as saved ---------------------------------------------


def test_an_error_cell_is_refused_in_words_never_read_as_an_empty_cell(operator_client, june):
    # A reader that reads error cells as empty (python-calamine does) would erase the figure
    # instead: the importer must see «#DIV/0!» as Excel saved it.
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(june)))
    ws = wb.worksheets[0]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "VS.POINTS")
    ws.cell(row, 5).value = "#DIV/0!"
    ws.cell(row, 5).data_type = "e"
    response = upload(operator_client, june, workbook_bytes(wb))
    assert on_page(f"Лист «{ws.title}», строка {row}, столбец E: «#DIV/0!» — не число.", response)
    assert stored(june) == FIGURES

    header = b"<row>" + b"".join(hostile_xlsx.inline(t) for t in "ABCDE") + b"</row>"
    figure = (
        b"<row>"
        + hostile_xlsx.inline(june.organization.short_name)
        + hostile_xlsx.number(2021)
        + hostile_xlsx.number(6)
        + hostile_xlsx.inline("VS.POINTS")
        + b'<c t="e"><v>#DIV/0!</v></c></row>'
    )
    result = bulk_values_import(fileobj=io.BytesIO(hostile_xlsx.workbook(rows=[header, figure])))
    assert [e.message for e in result.errors] == [
        "Лист «Лист1», строка 2, столбец E: «#DIV/0!» — не число."
    ]
    assert stored(june) == FIGURES
