"""meetings.signals.meeting_published: what the apps above hear of a publication."""

import pytest
from django.db import transaction

from meetings.models import Meeting
from meetings.services import meeting_publish, meeting_unpublish
from meetings.signals import meeting_published
from tests.helpers import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    received = []

    def receiver(sender, *, meeting_pk, **kwargs):
        received.append(meeting_pk)

    meeting_published.connect(receiver, dispatch_uid="test")
    yield received
    meeting_published.disconnect(dispatch_uid="test")


def test_a_first_publication_is_told_after_its_commit(heard, django_capture_on_commit_callbacks):
    meeting = make_meeting(status=Meeting.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_publish(meeting=meeting)
        assert heard == []  # not before the commit
    assert heard == [meeting.pk]
    with django_capture_on_commit_callbacks(execute=True):
        meeting_publish(meeting=meeting)  # already published: nothing new
    assert heard == [meeting.pk]
    with django_capture_on_commit_callbacks(execute=True):
        meeting_unpublish(meeting=meeting)
        meeting_publish(meeting=meeting)
    assert heard == [meeting.pk, meeting.pk]


def test_a_publication_rolled_back_is_never_told(heard, django_capture_on_commit_callbacks):
    meeting = make_meeting(status=Meeting.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                meeting_publish(meeting=meeting)
                raise RuntimeError
        except RuntimeError:
            pass
    assert heard == []
