"""A decision given to every library system of the region: one tick in the admin, named so
wherever the responsible are named, and found under each library system's filter."""

import io
import re

import openpyxl
import pytest

from meetings.models import Meeting
from members.models import Organization
from minutes.exporters.pdf import minutes_pdf
from minutes.selectors import minutes_for
from resolutions.models import Resolution
from tests.clubportal.test_admin import add_resolution_rows, admin_url
from tests.formscrape import form_data
from tests.helpers import make_meeting, make_organization, make_resolution, normalize
from tests.minutes.test_minutes_pdf import pdf_text

pytestmark = pytest.mark.django_db

GROUP = "Библиотечные системы области"


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def decision():
    item = make_resolution(
        make_meeting(),
        1,
        kind=Resolution.Kind.DECISION,
        text="Провести мониторинг летних читальных залов",
        to_library_systems=True,
    )
    item.responsible_organizations.add(make_organization("ГНБК", kind=Organization.Kind.REGIONAL))
    return item


def test_the_admin_offers_the_group_beside_the_organisations(secretary_client, demo):
    html = secretary_client.get(admin_url(Meeting, "change", demo.pk)).content.decode()
    organisations = html.index('name="resolutions-0-responsible_organizations"')
    group = html.index('name="resolutions-0-to_library_systems"')
    person = html.index('name="resolutions-0-responsible_person"')
    assert organisations < group < person
    assert "Всем библиотечным системам области" in html
    item = demo.resolutions.filter(kind=Resolution.Kind.DECISION).first()
    html = secretary_client.get(admin_url(Resolution, "change", item.pk)).content.decode()
    assert 'name="to_library_systems"' in html


def test_the_secretary_ticks_it_on_the_meeting_page(secretary_client):
    meeting = make_meeting(status=Meeting.Status.DRAFT)
    url = admin_url(Meeting, "change", meeting.pk)
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    add_resolution_rows(
        data,
        {
            "section": "2",
            "number": "1",
            "kind": "decision",
            "text": "Всем системам",
            "status": "adopted",
            "to_library_systems": "on",
        },
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item = meeting.resolutions.get()
    assert item.to_library_systems
    assert not item.responsible_organizations.exists()


def test_the_meeting_page_and_the_item_page_name_the_group_first(client, decision):
    page = text(client.get(decision.meeting.get_absolute_url()).content.decode())
    assert f"Ответственные: {GROUP}, ГНБК ·" in page
    page = text(client.get(decision.get_absolute_url()).content.decode())
    assert f"Ответственные организации {GROUP}, ГНБК" in page
    page = text(client.get("/resolutions/").content.decode())
    assert f"Ответственные: {GROUP}, ГНБК ·" in page


def test_the_minutes_pdf_names_the_group(decision):
    pdf, _ = minutes_pdf(minutes_for(decision.meeting))
    assert normalize(f"Ответственные организации: {GROUP}, ГНБК") in pdf_text(pdf)


def test_the_minutes_workbook_has_the_group_in_the_cell(client, decision):
    response = client.get(f"{decision.meeting.get_absolute_url()}minutes.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Пункты протокола"]
    row = next(r for r in sheet.iter_rows(values_only=True) if decision.text in r)
    assert f"{GROUP}; ГНБК" in row


def test_the_resolutions_export_has_the_group_in_the_cell(client, decision):
    response = client.get("/resolutions/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    rows = [r for r in sheet.iter_rows(values_only=True) if decision.text in r]
    assert len(rows) == 1
    assert rows[0][header.index("Ответственные организации")] == f"{GROUP}; ГНБК"


def test_a_decision_without_the_group_is_named_as_before(client):
    item = make_resolution(make_meeting(), 1, kind=Resolution.Kind.DECISION, text="Только Юрге")
    item.responsible_organizations.add(make_organization("ЦБС Юрги"))
    page = text(client.get(item.meeting.get_absolute_url()).content.decode())
    assert "Ответственные: ЦБС Юрги ·" in page
    assert GROUP not in page


def test_every_library_system_finds_it_under_its_filter(client, decision):
    cbs = make_organization("ЦБС Юрги", kind=Organization.Kind.CBS)
    mibs = make_organization("МИБС г. Кемерово", kind=Organization.Kind.MIBS)
    other = make_organization("Музей", kind=Organization.Kind.OTHER)
    for system in (cbs, mibs):
        html = client.get("/resolutions/", {"organization": system.pk}).content.decode()
        assert decision.text in html
        assert "Найден 1 пункт" in html
    # Not a library system: only what names it.
    html = client.get("/resolutions/", {"organization": other.pk}).content.decode()
    assert decision.text not in html
    regional = decision.responsible_organizations.get()
    assert (
        decision.text in client.get("/resolutions/", {"organization": regional.pk}).content.decode()
    )
