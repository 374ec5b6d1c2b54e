"""The minutes' items in the admin as the secretary enters them: duplicate numbers told in the
catalogue's words, and the «agenda question» list that says how it fills."""

import datetime
import re

import pytest

from meetings.models import Meeting
from resolutions.models import Resolution
from tests.clubportal.test_admin import add_resolution_rows, admin_url
from tests.formscrape import form_data
from tests.helpers import make_agenda_item, make_meeting, make_resolution

pytestmark = pytest.mark.django_db

DUPLICATE_NUMBER = "В этом разделе протокола уже есть пункт с таким номером."
LIST_FILLS = "Список заполняется из повестки этого заседания."
NEW_MEETING = (
    "Список заполнится из повестки заседания, когда заседание будет сохранено: добавьте "
    "вопросы повестки выше, сохраните заседание, затем выберите здесь вопрос."
)
NO_AGENDA = (
    "Список заполняется из повестки этого заседания, а в ней пока нет вопросов: добавьте их "
    "в повестку выше и сохраните заседание, затем выберите здесь вопрос."
)
NO_MEETING = (
    "Список заполняется из повестки заседания, к которому относится пункт: выберите "
    "заседание и сохраните пункт, затем выберите здесь вопрос."
)
ITEM_MEETING_NO_AGENDA = (
    "Список заполняется из повестки заседания, к которому относится пункт, а в ней пока нет "
    "вопросов: добавьте их на странице заседания, затем выберите здесь вопрос."
)


def decision_row(number, text):
    return {"section": "2", "number": number, "kind": "decision", "text": text, "status": "adopted"}


def select_options(html: str, name: str) -> list[str]:
    """The labels of a select's options, the empty one left out."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    return [
        label.strip()
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])
        if value
    ]


def test_two_new_items_of_one_number_are_told_in_russian_beside_both(secretary_client, demo):
    url = admin_url(Meeting, "change", demo.pk)
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    add_resolution_rows(data, decision_row("7", "Седьмое решение"), decision_row("7", "Другое"))
    response = secretary_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(DUPLICATE_NUMBER) == 2
    assert "повторяющ" not in html
    assert not Resolution.objects.filter(text__in=["Седьмое решение", "Другое"]).exists()
    kept = form_data(html, "meeting_form")
    start = int(kept["resolutions-TOTAL_FORMS"]) - 2
    assert kept[f"resolutions-{start}-number"] == "7"
    assert kept[f"resolutions-{start + 1}-number"] == "7"
    assert kept[f"resolutions-{start}-text"] == "Седьмое решение"


def test_a_new_item_taking_a_saved_number_is_told_in_russian(secretary_client, demo):
    url = admin_url(Meeting, "change", demo.pk)
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    add_resolution_rows(data, decision_row("1", "Лишнее решение"))
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert DUPLICATE_NUMBER in response.content.decode()
    assert not Resolution.objects.filter(text="Лишнее решение").exists()


def test_one_number_in_two_sections_is_no_duplicate(secretary_client):
    meeting = make_meeting(datetime.date(2022, 6, 1), status=Meeting.Status.DRAFT)
    url = admin_url(Meeting, "change", meeting.pk)
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    add_resolution_rows(
        data,
        {**decision_row("1", "Постановили первое"), "section": "1", "kind": "note"},
        decision_row("1", "Первое решение"),
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(meeting.resolutions.values_list("section", "number")) == [(1, 1), (2, 1)]


def test_the_agenda_list_of_a_meeting_offers_its_own_questions(secretary_client, demo):
    other = make_meeting(datetime.date(2022, 6, 1), status=Meeting.Status.DRAFT)
    make_agenda_item(other, 1, "Вопрос другого заседания")
    html = secretary_client.get(admin_url(Meeting, "change", demo.pk)).content.decode()
    options = select_options(html, "resolutions-0-agenda_item")
    assert len(options) == 3
    assert all("Вопрос другого заседания" not in o for o in options)
    assert LIST_FILLS in html
    assert NO_AGENDA not in html


def test_a_new_meeting_says_why_the_agenda_list_is_empty(secretary_client):
    html = secretary_client.get(admin_url(Meeting, "add")).content.decode()
    assert select_options(html, "resolutions-__prefix__-agenda_item") == []
    assert NEW_MEETING in html


def test_a_meeting_without_agenda_says_to_add_it_and_save(secretary_client):
    meeting = make_meeting(datetime.date(2022, 6, 1), status=Meeting.Status.DRAFT)
    make_resolution(meeting, 1, text="Пункт без повестки")
    html = secretary_client.get(admin_url(Meeting, "change", meeting.pk)).content.decode()
    assert select_options(html, "resolutions-0-agenda_item") == []
    assert NO_AGENDA in html


def test_the_item_page_offers_its_meeting_questions_only(secretary_client, demo):
    make_agenda_item(make_meeting(datetime.date(2022, 6, 1)), 1, "Вопрос другого заседания")
    item = demo.resolutions.first()
    html = secretary_client.get(admin_url(Resolution, "change", item.pk)).content.decode()
    options = select_options(html, "agenda_item")
    assert len(options) == 3
    assert all("Вопрос другого заседания" not in o for o in options)
    assert LIST_FILLS in html


def test_the_item_page_of_a_meeting_without_agenda_says_why(secretary_client):
    item = make_resolution(make_meeting(datetime.date(2022, 6, 1)), 1)
    html = secretary_client.get(admin_url(Resolution, "change", item.pk)).content.decode()
    assert select_options(html, "agenda_item") == []
    assert ITEM_MEETING_NO_AGENDA in html


def test_a_new_item_offers_the_agenda_of_the_meeting_named_or_says_to_choose_one(
    secretary_client, demo
):
    html = secretary_client.get(admin_url(Resolution, "add")).content.decode()
    assert select_options(html, "agenda_item") == []
    assert NO_MEETING in html
    html = secretary_client.get(admin_url(Resolution, "add"), {"meeting": demo.pk}).content
    assert len(select_options(html.decode(), "agenda_item")) == 3


def test_a_question_of_another_meeting_is_refused(secretary_client, demo):
    other = make_meeting(datetime.date(2022, 6, 1))
    url = admin_url(Resolution, "add") + f"?meeting={demo.pk}"
    data = form_data(secretary_client.get(url).content.decode(), "resolution_form")
    # The list offered the demo's agenda; the secretary then chose another meeting.
    data.update(
        meeting=str(other.pk),
        section="1",
        number="1",
        kind="note",
        text="Пункт другого заседания",
        status="adopted",
        agenda_item=str(demo.agenda_items.first().pk),
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert "Этот вопрос относится к повестке другого заседания." in response.content.decode()
    assert not Resolution.objects.filter(text="Пункт другого заседания").exists()
