"""Texts of third-party apps that the admin shows, named here so makemessages keeps them.

django-tasks and django-tasks-db ship no Russian; their model and field names are lazy
translations, so the project's catalogue (locale/ru) translates them once it holds them.
django-simple-history ships Russian only as ru_RU, which Django's «ru» never reads: its
history pages said «CHANGES» and «None». Nothing imports this module: it exists for
makemessages.
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
    # django-simple-history: the history pages and the historical records' kinds
    gettext_noop("Change history: %s"),
    gettext_noop("View history: %s"),
    gettext_noop("Revert %s"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
    gettext_noop("Close"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of this object."
    ),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
]
