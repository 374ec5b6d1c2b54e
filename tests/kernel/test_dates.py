"""One way to write a date, «23 июня 2021 г.», wherever a reader meets it: the page, the
workbook, the admin's refusals; a moment by its day in Novokuznetsk."""

import datetime
import html
import io
import re

import openpyxl
import pytest
from django.utils import translation

from kernel.dates import long_date

pytestmark = pytest.mark.django_db

# 19:30 UTC on 14 March is 02:30 on 15 March in Novokuznetsk (UTC+7).
EVENING_IN_UTC = datetime.datetime(2025, 3, 14, 19, 30, tzinfo=datetime.UTC)


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", text))


def test_a_date_and_a_moment_are_written_the_same_way():
    with translation.override("ru"):
        assert long_date(datetime.date(2021, 6, 23)) == "23 июня 2021 г."
        assert long_date(EVENING_IN_UTC) == "15 марта 2025 г."
        # A naive moment (a spreadsheet's cell) keeps the day it names.
        assert long_date(datetime.datetime(2025, 3, 14, 23, 0)) == "14 марта 2025 г."


def test_the_meeting_page_writes_its_date_in_full(client, demo):
    text = page_text(client.get("/meetings/2021-06-23/"))
    assert "23 июня 2021 г." in text


def test_the_minutes_workbook_writes_the_same_date(client, demo):
    response = client.get("/meetings/2021-06-23/minutes.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Протокол"]
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "23 июня 2021 г." in cells


def test_a_refusal_names_the_meeting_by_the_same_date(demo):
    from django.core.exceptions import ValidationError

    from tests.helpers import make_resolution

    item = make_resolution(demo, 99)
    item.due_date = datetime.date(2021, 6, 1)
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "23 июня 2021 г." in " ".join(refused.value.messages)
