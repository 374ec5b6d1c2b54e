"""«О ходе выполнения решений…» on a draft meeting's agenda with one admin action (or the
draft page's button): the item names the published meetings whose decisions are open and
links to the report of that day; it opens the agenda; a second run adds nothing; published
minutes are left alone; a change form opened before the action is refused with the locking
message, not a 500."""

import datetime

import pytest
from django.contrib.messages import get_messages

from chronicle.progress_agenda import progress_item_add
from meetings.models import AgendaItem, Meeting
from resolutions.models import Resolution
from tests.formscrape import form_data
from tests.helpers import make_agenda_item, make_meeting, make_resolution, pinned_clock

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/meetings/meeting/"
ACTION = "add_progress_item"


@pytest.fixture
def next_meeting(db):
    """The club's history and the next meeting's draft with two questions on its agenda."""
    first = make_meeting(datetime.date(2021, 6, 23))
    make_resolution(first, 1, text="Открытое решение", due_date=datetime.date(2022, 1, 1))
    second = make_meeting(datetime.date(2022, 4, 14))
    make_resolution(second, 1, text="Ещё одно открытое решение")
    done = make_meeting(datetime.date(2023, 3, 3))
    make_resolution(done, 1, status=Resolution.Status.DONE)
    hidden = make_meeting(datetime.date(2023, 5, 5), status=Meeting.Status.DRAFT)
    make_resolution(hidden, 1, text="Решение другого черновика")
    draft = make_meeting(datetime.date(2026, 12, 10), status=Meeting.Status.DRAFT)
    make_agenda_item(draft, 1, "Опыт внестационарной работы")
    make_agenda_item(draft, 2, "Разное")
    return draft


def run_action(client, *meetings):
    return client.post(
        CHANGELIST,
        {"action": ACTION, "_selected_action": [m.pk for m in meetings]},
        follow=True,
    )


def agenda(meeting) -> list[tuple[int, str]]:
    return list(meeting.agenda_items.order_by("order").values_list("order", "title"))


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_action_puts_the_question_first_on_the_agenda(secretary_client, next_meeting, settings):
    settings.SITE_URL = "https://club.example.ru"
    with pinned_clock(2026, 12, 3):
        response = run_action(secretary_client, next_meeting)
    title = "О ходе выполнения решений заседаний Клуба от 23 июня 2021 г. и 14 апреля 2022 г."
    assert agenda(next_meeting) == [
        (1, title),
        (2, "Опыт внестационарной работы"),
        (3, "Разное"),
    ]
    item = next_meeting.agenda_items.get(order=1)
    assert item.summary == (
        "Справка о ходе выполнения решений на 3 декабря 2026 г.: "
        "https://club.example.ru/resolutions/progress/\n"
        "2 решения ещё не выполнены; 1 из них просрочено."
    )
    assert messages_of(response) == [
        f"В повестку заседания 10 декабря 2026 г. добавлен вопрос 1: «{title}»."
    ]


def test_adding_it_twice_adds_it_once(secretary_client, next_meeting):
    run_action(secretary_client, next_meeting)
    before = agenda(next_meeting)
    response = run_action(secretary_client, next_meeting)
    assert agenda(next_meeting) == before
    assert len(before) == 3
    assert "уже есть вопрос 1" in messages_of(response)[0]
    assert "ничего не добавлено" in messages_of(response)[0]


def test_a_question_typed_by_the_secretary_counts_as_the_one(next_meeting):
    # As the minutes of 14 April 2022 have it, typed in capitals and with doubled spaces.
    typed = "О ХОДЕ  ВЫПОЛНЕНИЯ РЕШЕНИЙ заседания Клуба от 23 июня 2021 г."
    make_agenda_item(next_meeting, 3, typed)
    added = progress_item_add(meeting=next_meeting)
    assert not added.created
    assert added.item.order == 3
    assert next_meeting.agenda_items.count() == 3


def test_one_meeting_is_named_in_the_singular(db):
    make_resolution(make_meeting(datetime.date(2021, 6, 23)), 1)
    draft = make_meeting(datetime.date(2026, 12, 10), status=Meeting.Status.DRAFT)
    added = progress_item_add(meeting=draft, today=datetime.date(2026, 12, 3))
    assert added.item.title == "О ходе выполнения решений заседания Клуба от 23 июня 2021 г."
    assert added.item.order == 1


def test_published_minutes_keep_their_agenda(secretary_client, next_meeting):
    published = Meeting.objects.get(date=datetime.date(2022, 4, 14))
    response = run_action(secretary_client, published, next_meeting)
    assert not published.agenda_items.exists()
    assert next_meeting.agenda_items.count() == 3
    notes = messages_of(response)
    assert notes[0].startswith("Протокол заседания 14 апреля 2022 г. опубликован")
    assert notes[1].startswith("В повестку заседания 10 декабря 2026 г. добавлен")


def test_the_centre_cannot_run_it(client, centre_methodist, next_meeting):
    client.force_login(centre_methodist)
    run_action(client, next_meeting)
    assert next_meeting.agenda_items.count() == 2


def test_a_form_opened_before_the_action_is_refused_with_the_message(
    secretary_client, next_meeting
):
    url = f"/admin/meetings/meeting/{next_meeting.pk}/change/"
    page = secretary_client.get(url).content.decode()
    data = form_data(page, "meeting_form")
    run_action(secretary_client, next_meeting)
    # She adds a third question in the form she opened before, numbered 3 as it offered.
    prefix = "agenda_items"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-{total}-order"] = "3"
    data[f"{prefix}-{total}-title"] = "Новый вопрос"
    data[f"{prefix}-{total}-meeting"] = str(next_meeting.pk)
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    data["_continue"] = "1"
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert "Пока вы редактировали" in response.content.decode()
    assert [title for _order, title in agenda(next_meeting)][1:] == [
        "Опыт внестационарной работы",
        "Разное",
    ]
    assert not AgendaItem.objects.filter(title="Новый вопрос").exists()


# The button of a draft meeting's page


def change_page(meeting) -> str:
    return f"/admin/meetings/meeting/{meeting.pk}/change/"


def button_url(meeting) -> str:
    return f"/admin/meetings/meeting/{meeting.pk}/progress-item/"


def test_a_drafts_page_offers_the_button_and_it_adds_the_question_once(
    secretary_client, next_meeting
):
    page = secretary_client.get(change_page(next_meeting)).content.decode()
    assert f'action="{button_url(next_meeting)}"' in page
    assert "Добавить в повестку вопрос «О ходе выполнения решений…»" in page
    first = secretary_client.post(button_url(next_meeting), follow=True)
    assert first.redirect_chain == [(change_page(next_meeting), 302)]
    secretary_client.post(button_url(next_meeting))
    assert next_meeting.agenda_items.count() == 3
    assert agenda(next_meeting)[0][1].startswith("О ходе выполнения решений заседаний Клуба")
    assert "добавлен вопрос 1" in messages_of(first)[0]


def test_published_minutes_have_no_button_and_refuse_the_post(secretary_client, next_meeting):
    published = Meeting.objects.get(date=datetime.date(2022, 4, 14))
    page = secretary_client.get(change_page(published)).content.decode()
    assert button_url(published) not in page
    response = secretary_client.post(button_url(published), follow=True)
    assert "опубликован" in messages_of(response)[0]
    assert not published.agenda_items.exists()


def test_the_button_is_a_post_for_those_who_may_change_the_meeting(
    client, centre_methodist, secretary_client, next_meeting
):
    assert secretary_client.get(button_url(next_meeting)).status_code == 405
    client.force_login(centre_methodist)
    assert button_url(next_meeting) not in client.get(change_page(next_meeting)).content.decode()
    assert client.post(button_url(next_meeting)).status_code == 403
    assert next_meeting.agenda_items.count() == 2
