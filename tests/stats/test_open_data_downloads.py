"""A year's accepted figures as CSV and JSON on /stats/: what Russian Excel opens and what a
script reads, with the same figures as the page and never a figure of an unaccepted report."""

import csv
import datetime
import io
import json

import pytest

from stats.models import Report
from stats.region_figures import region_figures
from tests.helpers import CLEAN_JUNE, make_organization, make_report, pinned_clock

SECRET = 777_777


@pytest.fixture
def year_2024(db):
    first = make_organization("ЦБС Первая")
    second = make_organization("=ЦБС формулой")  # a name Excel would take for a formula
    with pinned_clock(2024, 7, 15):
        make_report(first, 2024, 6, CLEAN_JUNE, status=Report.Status.ACCEPTED)
        make_report(second, 2024, 6, CLEAN_JUNE | {"VS.EVENTS": 50}, status=Report.Status.LOCKED)
        make_report(first, 2024, 7, CLEAN_JUNE, status=Report.Status.ACCEPTED)
    Report.objects.filter(status__in=Report.COUNTED).update(
        accepted_at=datetime.datetime(2024, 8, 2, 5, tzinfo=datetime.UTC)
    )
    for status in (Report.Status.DRAFT, Report.Status.RETURNED, Report.Status.SUBMITTED):
        make_report(
            make_organization(f"ЦБС {status}"), 2024, 6, {"VS.EVENTS": SECRET}, status=status
        )


def read_csv(content: bytes) -> tuple[list[list[str]], list[dict]]:
    """The preamble lines and the table, read as Python's csv reads what Excel wrote."""
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    blank = lines.index([])
    header, *rows = lines[blank + 1 :]
    return lines[:blank], [dict(zip(header, row, strict=True)) for row in rows]


def test_csv_as_russian_excel_opens_it(client, year_2024):
    response = client.get("/stats/export/accepted-2024.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="accepted-2024.csv"'
    assert b"\r\n" in response.content
    preamble, rows = read_csv(response.content)
    assert preamble[0] == [
        "Принятые данные о внестационарном обслуживании библиотек Кузбасса, 2024"
    ]
    assert preamble[2] == [
        "Лицензия: CC BY 4.0, https://creativecommons.org/licenses/by/4.0/deed.ru"
    ]
    assert preamble[3] == ["Данные на 2 августа 2024 г."]
    assert list(rows[0]) == [
        "Год",
        "Месяц",
        "Организация",
        "Муниципальное образование",
        "Код показателя",
        "Показатель",
        "Единица измерения",
        "Значение",
    ]
    events = [
        (r["Месяц"], r["Организация"], r["Значение"])
        for r in rows
        if r["Код показателя"] == "VS.EVENTS"
    ]
    assert events == [
        ("6", "'=ЦБС формулой", "50"),
        ("6", "ЦБС Первая", "44"),
        ("7", "ЦБС Первая", "44"),
    ]
    assert str(SECRET) not in response.content.decode("utf-8-sig")


def test_csv_has_the_figures_of_the_stats_page(client, year_2024):
    _preamble, rows = read_csv(client.get("/stats/export/accepted-2024.csv").content)
    months = {m.month: m.values for m in region_figures(year=2024).months}
    for month in (6, 7):
        total = sum(
            int(r["Значение"])
            for r in rows
            if r["Код показателя"] == "VS.EVENTS" and r["Месяц"] == str(month)
        )
        assert total == months[month]["events"]
    page = client.get("/stats/?year=2024").content.decode()
    assert 'href="/stats/export/accepted-2024.csv"' in page
    assert 'href="/stats/export/accepted-2024.json"' in page
    assert "CC BY 4.0" in page


def test_json_download(client, year_2024):
    response = client.get("/stats/export/accepted-2024.json")
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["licence"]["name"] == "CC BY 4.0"
    assert document["data_date"] == "2024-08-02T05:00:00+00:00"
    events = [f for f in document["figures"] if f["indicator_code"] == "VS.EVENTS"]
    assert [(f["month"], f["organization"], f["value"]) for f in events] == [
        (6, "=ЦБС формулой", 50),
        (6, "ЦБС Первая", 44),
        (7, "ЦБС Первая", 44),
    ]
    assert SECRET not in [f["value"] for f in document["figures"]]


def test_revalidated_and_refused(client, year_2024):
    first = client.get("/stats/export/accepted-2024.csv")
    again = client.get("/stats/export/accepted-2024.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get("/stats/export/accepted-2023.csv").status_code == 404
    assert client.get("/stats/export/accepted-1800.json").status_code == 404
