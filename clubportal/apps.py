"""The project package as an app: it owns the shared templates and the role groups."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClubportalConfig(AppConfig):
    name = "clubportal"
    verbose_name = _("Club portal")
