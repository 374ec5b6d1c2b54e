"""What the notices do when the apps below them say something happened (see apps.py)."""

from .tasks import announce_minutes


def on_meeting_published(sender, *, meeting_pk: int, **kwargs) -> None:
    # Sent after the publication's commit (meetings.services.meeting_publish): the worker
    # reads the minutes as published.
    announce_minutes.enqueue(meeting_pk)
