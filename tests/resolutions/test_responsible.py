"""Who answers for a decision is named the same way on the meeting's page, in the item's
page, the minutes PDF, the extract and the workbook: organisations in order, then a person."""

import io
import re

import openpyxl
import pytest

from minutes.exporters.extract import resolution_extract_html
from minutes.exporters.pdf import minutes_pdf_html
from minutes.selectors import minutes_for
from resolutions.models import Resolution
from tests.helpers import make_meeting, make_organization, make_resolution

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&")


@pytest.fixture
def decision():
    meeting = make_meeting()
    item = make_resolution(meeting, 1, kind=Resolution.Kind.DECISION, text="Провести семинар")
    item.responsible_organizations.add(make_organization("ЦБС Юрги"))
    item.responsible_person = "Иванова & Ко"
    item.save()
    return item


def test_the_meeting_page_names_them_on_one_line(client, decision):
    page = text(client.get(decision.meeting.get_absolute_url()).content.decode())
    assert "Ответственные: ЦБС Юрги, Иванова & Ко ·" in page


def test_the_item_page_the_pdf_and_the_extract_name_each_apart(client, decision):
    minutes = minutes_for(decision.meeting)
    item = minutes.resolutions[0]
    for document in (
        text(client.get(decision.get_absolute_url()).content.decode()),
        text(minutes_pdf_html(minutes)),
        text(resolution_extract_html(item, minutes)),
    ):
        assert "ЦБС Юрги" in document
        assert "Иванова & Ко" in document
    assert "Ответственные организации: ЦБС Юрги" in text(minutes_pdf_html(minutes))


def test_the_workbook_has_them_in_their_columns(client, decision):
    response = client.get(f"{decision.meeting.get_absolute_url()}minutes.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Пункты протокола"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    row = next(r for r in rows if "Провести семинар" in r)
    assert "ЦБС Юрги" in row and "Иванова & Ко" in row


def test_nobody_named_means_no_line(client):
    item = make_resolution(make_meeting(), 1, kind=Resolution.Kind.DECISION)
    assert not item.responsible
    assert "Ответственные" not in text(client.get(item.meeting.get_absolute_url()).content.decode())
