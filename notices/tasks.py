"""Background work of the notices: every letter goes out from the task queue, never inside
the request (django-tasks, as minutes/tasks.py: the database queue and `manage.py db_worker`
in production, at once with debug on)."""

from django_tasks import task

from . import announcements
from .delivery import deliver
from .letters import Letter


@task()
def send_letter(letter: dict) -> None:
    """A letter that is not logged: the confirmation of a subscription."""
    Letter.from_dict(letter).message().send()


@task()
def deliver_letter(key: str, kind: str, letter: dict) -> bool:
    """A logged letter (a reminder): sent once per key, whoever enqueued it how often."""
    return deliver(key=key, kind=kind, letter=Letter.from_dict(letter))


@task()
def announce_minutes(meeting_pk: int) -> int:
    """The letters of minutes just published (notices.announcements.announce)."""
    return announcements.announce(meeting_pk)
