"""The agenda on the meeting's admin page: numbers continue by themselves, duplicates are told
in the catalogue's words."""

import datetime
import re

import pytest

from meetings.models import AgendaItem, Meeting
from tests.clubportal.test_admin import admin_url
from tests.formscrape import form_data
from tests.helpers import make_agenda_item, make_meeting

pytestmark = pytest.mark.django_db

DUPLICATE_AGENDA = "В повестке уже есть вопрос с таким номером."


def order_inputs(html: str) -> dict[str, str]:
    """The agenda rows' number inputs as the page renders them: name → value."""
    found = {}
    for tag in re.findall(r"<input[^>]*name=\"agenda_items-[^\"]*-order\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)[1]
        value = re.search(r'value="([^"]*)"', tag)
        found[name] = value[1] if value else ""
    return found


def new_meeting_data(client, **changes):
    data = form_data(client.get(admin_url(Meeting, "add")).content.decode(), "meeting_form")
    data.update(
        title="Заседание Клуба деловых встреч методистов Кузбасса",
        topic="Практика методической работы",
        date="15.06.2026",
        kind="regular",
        format="online",
        status="draft",
    )
    data.update(changes)
    return data


def test_a_new_meeting_offers_three_agenda_rows_numbered_on(secretary_client):
    html = secretary_client.get(admin_url(Meeting, "add")).content.decode()
    assert order_inputs(html) == {
        "agenda_items-0-order": "1",
        "agenda_items-1-order": "2",
        "agenda_items-2-order": "3",
        # The row «Добавить ещё» copies: numbered by the page's script or when saved.
        "agenda_items-__prefix__-order": "",
    }
    assert "admin/js/agenda_numbers.js" in html


def test_a_new_meeting_saved_with_the_offered_and_empty_numbers_gets_1_2_3(secretary_client):
    data = new_meeting_data(
        secretary_client,
        **{
            "agenda_items-0-title": "Опыт внестационарной работы",
            "agenda_items-1-title": "Внутрипрофессиональные конкурсы",
            # The secretary cleared the third number: the next free one is taken.
            "agenda_items-2-order": "",
            "agenda_items-2-title": "Организация статистического учета в ЦБС",
        },
    )
    response = secretary_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(topic="Практика методической работы")
    assert list(meeting.agenda_items.values_list("order", "title")) == [
        (1, "Опыт внестационарной работы"),
        (2, "Внутрипрофессиональные конкурсы"),
        (3, "Организация статистического учета в ЦБС"),
    ]


def test_rows_left_untouched_are_not_saved(secretary_client):
    data = new_meeting_data(secretary_client, **{"agenda_items-0-title": "Единственный вопрос"})
    response = secretary_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(AgendaItem.objects.values_list("order", "title")) == [(1, "Единственный вопрос")]


def test_a_row_added_to_a_meeting_with_two_questions_gets_3(secretary_client):
    meeting = make_meeting(datetime.date(2022, 6, 1), status=Meeting.Status.DRAFT)
    make_agenda_item(meeting, 1, "Первый вопрос")
    make_agenda_item(meeting, 2, "Второй вопрос")
    url = admin_url(Meeting, "change", meeting.pk)
    html = secretary_client.get(url).content.decode()
    assert order_inputs(html)["agenda_items-__prefix__-order"] == ""
    data = form_data(html, "meeting_form")
    # As «Добавить ещё» adds it in a browser without the script: the number empty.
    data.update(
        {
            "agenda_items-TOTAL_FORMS": "3",
            "agenda_items-2-order": "",
            "agenda_items-2-title": "Третий вопрос",
        }
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(meeting.agenda_items.values_list("order", "title")) == [
        (1, "Первый вопрос"),
        (2, "Второй вопрос"),
        (3, "Третий вопрос"),
    ]


def test_two_rows_of_one_number_are_told_in_russian_and_nothing_is_saved(secretary_client):
    data = new_meeting_data(
        secretary_client,
        **{
            "agenda_items-0-title": "Опыт внестационарной работы",
            "agenda_items-1-order": "1",
            "agenda_items-1-title": "Внутрипрофессиональные конкурсы",
        },
    )
    response = secretary_client.post(admin_url(Meeting, "add"), data)
    html = response.content.decode()
    assert response.status_code == 200
    # Beside each of the two rows, not once above the table with an internal field name.
    assert html.count(DUPLICATE_AGENDA) == 2
    assert "order" not in re.sub(r"<[^>]*>", "", html)
    assert "повторяющ" not in html
    assert not Meeting.objects.exists()
    assert not AgendaItem.objects.exists()
    # What she typed is still in the form.
    assert order_inputs(html)["agenda_items-0-order"] == "1"
    assert order_inputs(html)["agenda_items-1-order"] == "1"
    assert 'value="Внутрипрофессиональные конкурсы"' in html


def test_a_new_row_taking_a_saved_number_is_told_in_russian(secretary_client):
    meeting = make_meeting(datetime.date(2022, 6, 1), status=Meeting.Status.DRAFT)
    make_agenda_item(meeting, 1, "Первый вопрос")
    url = admin_url(Meeting, "change", meeting.pk)
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    data.update(
        {
            "agenda_items-TOTAL_FORMS": "2",
            "agenda_items-1-order": "1",
            "agenda_items-1-title": "Ещё один первый вопрос",
        }
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert DUPLICATE_AGENDA in response.content.decode()
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Первый вопрос"]
