"""Writes of meetings that change what the public sees: each one atomic, keyword-only.

Publishing is a change of state with consequences (the minutes, their files and the members
they admit become public), so it has one write path: `meeting_publish` and
`meeting_unpublish`. `Meeting.save` stores what it is given and never publishes; it
refuses a change of the status or the publication date made anywhere else.
"""

from django.db import transaction
from django.utils import timezone

from .models import Meeting
from .signals import meeting_published


def _stored_published_at(meeting: Meeting):
    """The publication date in the database, read under a row lock (None for a new meeting)."""
    if meeting.pk is None:
        return None
    row = Meeting.objects.select_for_update().filter(pk=meeting.pk)
    row = row.values_list("status", "published_at").first()
    if row is None or row[0] != Meeting.Status.PUBLISHED:
        return None
    return row[1]


def _save(meeting: Meeting, user) -> None:
    if user is not None:
        meeting._history_user = user  # django-simple-history records who did it
    # Meeting.save advances the version: a form opened before this change is refused as
    # stale (kernel.locking) instead of saving the old status back.
    meeting.save(workflow=True)


@transaction.atomic
def meeting_publish(*, meeting: Meeting, user=None) -> Meeting:
    """Make the minutes public, stamped with the moment they were first published.

    The meeting may carry other unsaved edits (the admin's change form): they are saved with
    the publication in one write. Publishing published minutes keeps their date.
    """
    already = _stored_published_at(meeting)
    meeting.published_at = already or timezone.now()
    meeting.status = Meeting.Status.PUBLISHED
    _save(meeting, user)
    if already is None:
        pk = meeting.pk
        # After the commit: a receiver that queues work must not see a rolled-back publication.
        transaction.on_commit(lambda: meeting_published.send(sender=Meeting, meeting_pk=pk))
    return meeting


@transaction.atomic
def meeting_unpublish(*, meeting: Meeting, user=None) -> Meeting:
    """Return the minutes to drafts: their pages and files answer 404 to the public again."""
    _stored_published_at(meeting)  # the row lock, so that a publication cannot interleave
    meeting.status = Meeting.Status.DRAFT
    meeting.published_at = None
    _save(meeting, user)
    return meeting
