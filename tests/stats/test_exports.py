"""The centre's exports: every accepted figure, and a year's summary with its totals."""

import io

import openpyxl
import pytest

from members.models import Municipality
from stats.exporters.summary import year_to_date
from stats.models import Report
from tests.helpers import make_organization, pinned_clock

from .test_import import FIGURES, make_operator, make_report

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(response.content))


@pytest.fixture
def centre_client(client, centre_methodist):
    client.force_login(centre_methodist)
    return client


@pytest.fixture
def yurga():
    return make_organization(
        "ЦБС Юрги", municipality=Municipality.objects.create(name="Юргинский округ")
    )


@pytest.fixture
def taiga():
    return make_organization(
        "МИБС Тайги", municipality=Municipality.objects.create(name="Тайгинский округ")
    )


# Every accepted figure ---------------------------------------------------------------------


def test_the_accepted_export_holds_exactly_the_accepted_figures(centre_client, yurga, taiga):
    june = make_report(
        yurga, 2021, 6, {"VS.POINTS": 12, "VS.EVENTS": 40}, status=Report.Status.ACCEPTED
    )
    june.values.filter(indicator__code="VS.EVENTS").update(
        explanation="Открыли две площадки в парках."
    )
    make_report(yurga, 2020, 12, {"VS.POINTS": 11}, status=Report.Status.LOCKED)
    make_report(taiga, 2021, 6, {"VS.POINTS": 3, "VS.LOANS": None}, status=Report.Status.ACCEPTED)
    for status in (Report.Status.DRAFT, Report.Status.SUBMITTED, Report.Status.RETURNED):
        month = {"draft": 7, "submitted": 8, "returned": 9}[status]
        make_report(yurga, 2021, month, {"VS.POINTS": 999}, status=status)

    ws = workbook(centre_client.get("/stats/export/accepted.xlsx")).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "Организация",
        "Муниципальное образование",
        "Год",
        "Месяц",
        "Код показателя",
        "Показатель",
        "Единица измерения",
        "Значение",
        "Версия формы",
        "Пояснение",
    )
    assert rows[1:] == [
        ("ЦБС Юрги", "Юргинский округ", 2020, 12, "VS.POINTS",
         "Число пунктов внестационарного обслуживания", "ед.", 11, 1, None),
        ("МИБС Тайги", "Тайгинский округ", 2021, 6, "VS.POINTS",
         "Число пунктов внестационарного обслуживания", "ед.", 3, 1, None),
        ("ЦБС Юрги", "Юргинский округ", 2021, 6, "VS.POINTS",
         "Число пунктов внестационарного обслуживания", "ед.", 12, 1, None),
        ("ЦБС Юрги", "Юргинский округ", 2021, 6, "VS.EVENTS",
         "Число мероприятий вне стационара", "ед.", 40, 1,
         "Открыли две площадки в парках."),
    ]  # fmt: skip
    assert ws.title == "Принятые показатели"


def test_the_accepted_export_streams_in_a_fixed_number_of_queries(
    centre_client, yurga, django_assert_num_queries
):
    def count(months):
        for month in months:
            make_report(yurga, 2019, month, FIGURES, status=Report.Status.ACCEPTED)
        # session, user, the centre's permissions (3), the rows (one streamed query)
        with django_assert_num_queries(6):
            ws = workbook(centre_client.get("/stats/export/accepted.xlsx")).active
        return ws.max_row - 1

    assert count(range(1, 3)) == 40
    assert count(range(3, 13)) == 240


def test_only_the_centre_exports(client, yurga):
    assert client.get("/stats/export/accepted.xlsx").status_code == 302
    client.force_login(make_operator(yurga))
    assert client.get("/stats/export/accepted.xlsx").status_code == 403
    assert client.get("/stats/export/summary-2021.xlsx").status_code == 403


# A year's summary ----------------------------------------------------------------------


def test_year_to_date_sums_a_flow_and_takes_the_last_month_of_a_stock():
    assert year_to_date("flow", {6: 10, 7: 20, 8: 5}) == 35
    assert year_to_date("stock", {6: 3, 7: 4, 5: 9}) == 4
    assert year_to_date("stock", {}) is None


def test_the_summary_matches_a_hand_computed_example(centre_client, yurga, taiga):
    accepted = Report.Status.ACCEPTED
    # Yurga: events (flow) 10 + 20 + 5 = 35; points (stock): June 3, July 4, August not
    # reported → 4.
    make_report(yurga, 2021, 6, {"VS.EVENTS": 10, "VS.POINTS": 3}, status=accepted)
    make_report(yurga, 2021, 7, {"VS.EVENTS": 20, "VS.POINTS": 4}, status=Report.Status.LOCKED)
    make_report(yurga, 2021, 8, {"VS.EVENTS": 5, "VS.POINTS": None}, status=accepted)
    # Taiga: events 7 in June; points 2 in May and 6 in June → 6.
    make_report(taiga, 2021, 5, {"VS.POINTS": 2}, status=accepted)
    make_report(taiga, 2021, 6, {"VS.EVENTS": 7, "VS.POINTS": 6}, status=accepted)
    # Not counted: a draft, a submitted report, another year.
    make_report(yurga, 2021, 9, {"VS.EVENTS": 1000, "VS.POINTS": 1000})
    make_report(taiga, 2021, 7, {"VS.EVENTS": 1000}, status=Report.Status.SUBMITTED)
    make_report(yurga, 2020, 6, {"VS.EVENTS": 1000, "VS.POINTS": 1000}, status=accepted)

    wb = workbook(centre_client.get("/stats/export/summary-2021.xlsx"))
    assert wb.sheetnames == ["VS.POINTS", "VS.EVENTS"]  # in the order of the form

    def table(ws):
        header = [c.value for c in ws[5]]
        assert header[:2] == ["Организация", "Муниципальное образование"]
        assert header[2:] == [
            "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август",
            "Сентябрь", "Октябрь", "Ноябрь", "Декабрь", "Итог за год", "Месяцев в итоге",
            "Версия формы", "Пояснение",
        ]  # fmt: skip
        return {
            row[0]: (row[6:10], row[14])
            for row in ws.iter_rows(min_row=6, values_only=True)
            if row[0] != "Библиотечных систем в итоге"
        }

    points = wb["VS.POINTS"]
    assert points["A1"].value == "VS.POINTS — Число пунктов внестационарного обслуживания, ед."
    assert "Итог за год — последний отчётный месяц." in points["A2"].value
    assert table(points) == {
        "МИБС Тайги": ((2, 6, None, None), 6),
        "ЦБС Юрги": ((None, 3, 4, None), 4),
        "Всего по региону": ((2, 9, 4, None), 10),
    }
    events = wb["VS.EVENTS"]
    assert "Итог за год — сумма месяцев." in events["A2"].value
    assert table(events) == {
        "МИБС Тайги": ((None, 7, None, None), 7),
        "ЦБС Юрги": ((None, 10, 20, 5), 35),
        "Всего по региону": ((None, 17, 20, 5), 42),
    }


def test_a_summary_of_a_year_without_figures_says_so(centre_client):
    wb = workbook(centre_client.get("/stats/export/summary-2030.xlsx"))
    assert wb.active["A1"].value == "Нет принятых показателей за 2030 год."


def test_the_summary_takes_a_fixed_number_of_queries(
    centre_client, yurga, taiga, django_assert_num_queries
):
    for organization in (yurga, taiga):
        for month in range(1, 13):
            make_report(organization, 2021, month, FIGURES, status=Report.Status.ACCEPTED)
    # session, user, the centre's permissions (3), the grouped figures, the indicators' order
    # and forms, the approved versions, the periods, the library systems (the completeness)
    with django_assert_num_queries(10):
        wb = workbook(centre_client.get("/stats/export/summary-2021.xlsx"))
    assert len(wb.sheetnames) == 20


def test_each_total_of_the_summary_says_how_complete_it_is(centre_client, yurga, taiga):
    """Three library systems owe January–March 2021; a total says how much of that it holds."""
    make_organization("ЦБС Мысков")  # reports nothing
    accepted = Report.Status.ACCEPTED
    for month in (1, 2, 3):
        make_report(yurga, 2021, month, {"VS.EVENTS": 10}, status=accepted)
    make_report(taiga, 2021, 2, {"VS.EVENTS": 4}, status=accepted)
    march = make_report(taiga, 2021, 3, {"VS.EVENTS": 6}, status=accepted)
    march.values.update(explanation="Районный праздник.")
    with pinned_clock(2021, 4, 20):
        ws = workbook(centre_client.get("/stats/export/summary-2021.xlsx"))["VS.EVENTS"]
    rows = {row[0]: row for row in ws.iter_rows(min_row=6, values_only=True)}
    assert "из тех, за которые отчёт уже положен (3)" in ws["A3"].value
    assert "из всех 3" in ws["A3"].value
    # A library system's year: how many of the months owed it holds, its versions, its words.
    # Counts are numbers, shown «3 из 3» by their number format.
    assert rows["ЦБС Юрги"][14:] == (30, 3, 1, None)
    assert rows["МИБС Тайги"][14:] == (10, 2, 1, "март: Районный праздник.")
    yurga = next(r for r in ws.iter_rows(min_row=6) if r[0].value == "ЦБС Юрги")
    assert yurga[15].number_format == '0" из 3"'
    # The region: months in the total out of every system's months owed, then the systems.
    assert rows["Всего по региону"][2:5] == (10, 14, 16)
    assert rows["Всего по региону"][14:16] == (40, 5)
    assert rows["Библиотечных систем в итоге"][2:6] == (1, 2, 2, None)
    assert rows["Библиотечных систем в итоге"][14] == 1  # only Yurga has every month
