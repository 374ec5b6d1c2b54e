"""Background work of the minutes: the PDF of long minutes, rendered outside the request.

Tasks run through django-tasks, the backport of Django 6.0's ``django.tasks`` (settings.TASKS:
the database queue and ``manage.py db_worker`` in production, at once in the request with
debug on). Every use of the library's API is in this module, so moving to ``django.tasks``
changes the imports here and nothing else.
"""

from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch
from django_tasks_db import DatabaseBackend

from meetings.selectors import meeting_queryset

from .exporters.pdf import minutes_pdf
from .selectors import minutes_for


@task()
def render_minutes_pdf(meeting_pk: int) -> dict:
    """Render and store the minutes PDF of a meeting; its cache key and Last-Modified time.

    Idempotent: the file is stored under a key derived from its content, so a second run
    for unchanged minutes finds it in the «pdf_cache» storage and renders nothing.
    Drafts are rendered too: whether a visitor may download the file is the view's concern.
    """
    meeting = meeting_queryset().get(pk=meeting_pk)
    minutes = minutes_for(meeting)
    _content, key = minutes_pdf(minutes)
    return {"key": key, "last_modified": int(minutes.last_modified.timestamp())}


def render_result(task_id: str | None) -> TaskResult | None:
    """The state of a render enqueued earlier, or None when it can no longer be told.

    None for a result pruned from the database (``prune_db_task_results``) and for a backend
    that keeps no results (the immediate one, whose tasks have finished when enqueued).
    """
    if not task_id:
        return None
    try:
        return render_minutes_pdf.get_result(task_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, NotImplementedError):
        return None


def enqueue_render(meeting_pk: int) -> TaskResult:
    """Enqueue a render of the meeting's minutes, unless the database queue already holds one.

    The view remembers the task it enqueued in the cache, but with the default local-memory
    cache each gunicorn worker has its own memory: a visitor whose page refresh reaches
    another worker would enqueue a second render. The queue itself is shared, so a render of
    the same meeting still waiting in it is reused. Only a waiting one: a render already
    running may have read the minutes before the edit that made this request necessary.
    """
    backend = render_minutes_pdf.get_backend()
    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        waiting = (
            DBTaskResult.objects.ready()
            .filter(
                backend_name=backend.alias,
                task_path=render_minutes_pdf.module_path,
                args_kwargs__args__0=meeting_pk,
            )
            .first()
        )
        if waiting is not None:
            return waiting.task_result
    return render_minutes_pdf.enqueue(meeting_pk)


__all__ = ["TaskResultStatus", "enqueue_render", "render_minutes_pdf", "render_result"]
