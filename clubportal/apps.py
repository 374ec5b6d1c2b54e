"""The project package as an app: the role groups' data migrations live under its label."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClubportalConfig(AppConfig):
    name = "clubportal"
    verbose_name = _("Club portal")
