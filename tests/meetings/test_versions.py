"""Admin actions change a meeting like a save does: its version moves, a stale form is refused."""

import datetime

import pytest
from django.test import Client

from meetings.models import Meeting
from tests.formscrape import form_data
from tests.helpers import make_meeting, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("publish", Meeting.Status.DRAFT, Meeting.Status.PUBLISHED),
        ("unpublish", Meeting.Status.PUBLISHED, Meeting.Status.DRAFT),
    ],
)
def test_meeting_form_opened_before_an_action_cannot_undo_it(secretary_client, action, start, end):
    meeting = make_meeting(datetime.date(2024, 5, 15), status=start)
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    mine = form_data(secretary_client.get(url).content.decode(), "meeting_form")

    colleague = Client()
    colleague.force_login(make_user("kollega", group="Секретарь клуба"))
    colleague.post("/admin/meetings/meeting/", {"action": action, "_selected_action": [meeting.pk]})
    meeting.refresh_from_db()
    assert meeting.status == end

    response = secretary_client.post(url, mine)
    assert response.status_code == 200
    assert "Ваши изменения не сохранены" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == end
