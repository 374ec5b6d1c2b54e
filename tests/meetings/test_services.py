"""Publishing has one write path, meetings.services: what the public sees follows it alone."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from meetings.models import Meeting, PublicationBypassError
from meetings.services import meeting_publish, meeting_unpublish
from tests.formscrape import form_data
from tests.helpers import make_meeting, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 15)


@pytest.fixture(autouse=True)
def _changes_commit(monkeypatch):
    """The page cache is renewed when a change commits; inside a test's transaction
    nothing commits, so what would run on commit runs at once."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def page_status(meeting) -> int:
    return Client().get(f"/meetings/{meeting.slug}/").status_code


def test_publishing_makes_the_page_public_and_unpublishing_hides_it_again():
    meeting = make_meeting(DAY, status=Meeting.Status.DRAFT)
    assert page_status(meeting) == 404

    version = meeting.version
    meeting_publish(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.is_published and meeting.published_at is not None
    assert meeting.version == version + 1
    assert page_status(meeting) == 200

    meeting_unpublish(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT and meeting.published_at is None
    assert meeting.version == version + 2
    assert page_status(meeting) == 404


def test_publishing_published_minutes_again_keeps_their_date():
    meeting = make_meeting(DAY)
    first = meeting.published_at
    meeting_publish(meeting=Meeting.objects.get(pk=meeting.pk))
    meeting.refresh_from_db()
    assert meeting.published_at == first


def test_the_publisher_is_recorded_in_the_history():
    meeting = make_meeting(DAY, status=Meeting.Status.DRAFT)
    secretary = make_user("publikator", group="Секретарь клуба")
    meeting_publish(meeting=meeting, user=secretary)
    assert meeting.history.first().history_user == secretary


def test_saving_a_meeting_publishes_nothing():
    meeting = make_meeting(DAY, status=Meeting.Status.DRAFT)
    meeting.title = "Заседание с новым названием"
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.published_at is None and not meeting.is_published
    assert page_status(meeting) == 404

    # A status set past the service is refused by the model, and by the database too (a
    # published meeting without a publication date).
    meeting.status = Meeting.Status.PUBLISHED
    with pytest.raises(PublicationBypassError):
        meeting.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
    assert page_status(meeting) == 404


def test_unpublishing_past_the_service_is_refused():
    meeting = make_meeting(DAY)
    meeting.status = Meeting.Status.DRAFT
    with pytest.raises(PublicationBypassError):
        meeting.save()
    with pytest.raises(PublicationBypassError):
        Meeting.objects.create(title="Заседание", date=DAY, status=Meeting.Status.PUBLISHED)
    assert page_status(Meeting.objects.get(pk=meeting.pk)) == 200


def test_restoring_a_draft_version_from_the_history_unpublishes_through_the_service(
    secretary_client,
):
    meeting = make_meeting(DAY, status=Meeting.Status.DRAFT)
    draft_record = meeting.history.first()
    meeting_publish(meeting=meeting)
    url = f"/admin/meetings/meeting/{meeting.pk}/history/{draft_record.history_id}/"
    data = form_data(secretary_client.get(url).content.decode(), "historicalmeeting_form")
    response = secretary_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT and meeting.published_at is None
    assert page_status(meeting) == 404


def test_publishing_in_the_change_form_goes_through_the_service(secretary_client):
    meeting = make_meeting(DAY, status=Meeting.Status.DRAFT)
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    data.update(status="published", topic="Новая тема")
    response = secretary_client.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_published and meeting.published_at is not None
    assert meeting.topic == "Новая тема"  # the form's other edits are saved with it
    assert page_status(meeting) == 200

    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    data.update(status="draft")
    secretary_client.post(url, data)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT and meeting.published_at is None
    assert page_status(meeting) == 404


def test_a_form_opened_before_a_publication_in_the_change_form_is_refused(secretary_client):
    meeting = make_meeting(DAY, status=Meeting.Status.DRAFT)
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    mine = form_data(secretary_client.get(url).content.decode(), "meeting_form")

    colleague = Client()
    colleague.force_login(make_user("kollega", group="Секретарь клуба"))
    theirs = form_data(colleague.get(url).content.decode(), "meeting_form")
    theirs.update(status="published")
    assert colleague.post(url, theirs).status_code == 302

    mine.update(topic="Моя правка")
    response = secretary_client.post(url, mine)
    assert response.status_code == 200
    assert "Ваши изменения не сохранены" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.is_published and meeting.topic != "Моя правка"


def test_a_meeting_added_as_published_is_public(secretary_client):
    data = form_data(
        secretary_client.get("/admin/meetings/meeting/add/").content.decode(), "meeting_form"
    )
    data.update(title="Заседание Клуба", date="15.05.2024", status="published")
    response = secretary_client.post("/admin/meetings/meeting/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(date=DAY)
    assert meeting.is_published and meeting.published_at is not None
    assert page_status(meeting) == 200


def test_the_demo_minutes_are_published_through_the_service(demo):
    assert demo.is_published and demo.published_at is not None
    assert page_status(demo) == 200
