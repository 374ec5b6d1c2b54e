"""History of changes and refused lost updates in the secretary's admin."""

import datetime

import pytest
import time_machine

from meetings.models import Meeting
from resolutions.models import Resolution
from tests.formscrape import form_data
from tests.helpers import make_meeting, make_resolution, make_user

pytestmark = pytest.mark.django_db

# After 17:00 UTC it is already the next day in Novokuznetsk (UTC+7).
EVENING_IN_UTC = datetime.datetime(2025, 3, 14, 19, 30, tzinfo=datetime.UTC)


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def test_an_admin_edit_is_kept_with_who_and_when(secretary_client, secretary, demo):
    data = form_data(secretary_client.get(change_url(demo)).content.decode(), "meeting_form")
    data["topic"] = "Практика методической работы в ЦБС"
    assert secretary_client.post(change_url(demo), data).status_code == 302
    latest = demo.history.order_by("-history_date").first()
    assert latest.history_user == secretary
    assert latest.topic == "Практика методической работы в ЦБС"
    page = secretary_client.get(f"/admin/meetings/meeting/{demo.pk}/history/")
    assert page.status_code == 200
    assert secretary.username in page.content.decode()


def test_a_version_can_be_restored_from_the_admin(secretary_client, demo):
    original = demo.history.order_by("history_date").first()
    demo.topic = "Ошибочная тема"
    demo.save()
    url = f"/admin/meetings/meeting/{demo.pk}/history/{original.history_id}/"
    data = form_data(secretary_client.get(url).content.decode(), "historicalmeeting_form")
    assert secretary_client.post(url, data).status_code == 302
    demo.refresh_from_db()
    assert demo.topic == "Практика методической работы"


def test_resolution_changes_and_responsible_organisations_are_kept(demo):
    from members.models import Organization

    item = demo.resolutions.get(section=Resolution.Section.DECISIONS, number=1)
    item.status = Resolution.Status.IN_PROGRESS
    item.save()
    item.responsible_organizations.add(Organization.objects.get(short_name="МИБС г. Кемерово"))
    assert item.history.count() >= 2
    assert item.history.order_by("-history_date").first().status == "in_progress"


def test_second_save_of_a_meeting_is_refused_and_names_what_changed(client, secretary, demo):
    other = make_user("kolleg", group="Секретарь клуба")
    client.force_login(secretary)
    mine = form_data(client.get(change_url(demo)).content.decode(), "meeting_form")

    from django.test import Client

    theirs_client = Client()
    theirs_client.force_login(other)
    theirs = form_data(theirs_client.get(change_url(demo)).content.decode(), "meeting_form")
    theirs["topic"] = "Тема от коллеги"
    assert theirs_client.post(change_url(demo), theirs).status_code == 302

    mine["preamble"] = "Моя правка вступления"
    response = client.post(change_url(demo), mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "kolleg" in html
    assert "тема" in html
    assert "Ваши изменения не сохранены" in html
    demo.refresh_from_db()
    assert demo.topic == "Тема от коллеги"
    assert demo.preamble != "Моя правка вступления"


def test_second_save_of_a_resolution_is_refused(client, secretary, demo):
    item = demo.resolutions.get(section=Resolution.Section.DECISIONS, number=2)
    client.force_login(secretary)
    mine = form_data(client.get(change_url(item)).content.decode(), "resolution_form")
    item.text = "Текст, исправленный другим секретарём"
    item.save()
    mine["text"] = "Моя правка"
    response = client.post(change_url(item), mine)
    assert response.status_code == 200
    assert "Ваши изменения не сохранены" in response.content.decode()
    item.refresh_from_db()
    assert item.text == "Текст, исправленный другим секретарём"


def test_published_minutes_edited_later_say_so(client, django_capture_on_commit_callbacks):
    meeting = make_meeting(datetime.date(2023, 5, 5))
    three_days_earlier = EVENING_IN_UTC - datetime.timedelta(days=3)
    Meeting.objects.filter(pk=meeting.pk).update(
        published_at=three_days_earlier, updated_at=three_days_earlier
    )
    assert "изменено" not in client.get(meeting.get_absolute_url()).content.decode()
    # Edited at 19:30 UTC on 14 March: 02:30 on 15 March in Novokuznetsk, the day it says.
    with time_machine.travel(EVENING_IN_UTC, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            make_resolution(meeting, 1, text="Добавлено после публикации")
        html = client.get(meeting.get_absolute_url()).content.decode()
    assert "изменено 15 марта 2025 г." in html


def test_publish_action_records_history(secretary_client):
    draft = make_meeting(status=Meeting.Status.DRAFT)
    secretary_client.post(
        "/admin/meetings/meeting/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert draft.history.order_by("-history_date").first().status == "published"
