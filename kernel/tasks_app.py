"""django-tasks-db under a Russian name in the admin (its own is English, untranslated).

A module of its own: in clubportal/apps.py a second AppConfig would stop Django from
choosing ClubportalConfig for the "clubportal" entry (and its ready() would never run).
"""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
