"""Texts of third-party apps that the admin shows, named here so makemessages keeps them.

django-tasks and django-tasks-db ship no Russian; their model and field names are lazy
translations, so the project's catalogue (locale/ru) translates them once it holds them.
Nothing imports this module: it exists for makemessages.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

LIBRARY_MESSAGES = [
    # django_tasks_db.models.DBTaskResult
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
    # django_tasks.base.TaskResultStatus
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
]
