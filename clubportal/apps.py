"""The project package as an app: shared templates, template tags, role groups, SQLite tweaks."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _unicode_case_on_sqlite(sender, connection, **kwargs):
    # SQLite's lower()/upper() fold ASCII only, so «Методист» would never match «методист».
    # Replacing them with Python's makes Django's Lower() and the search fallback Cyrillic-aware.
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "lower", 1, lambda s: s.lower() if isinstance(s, str) else s, deterministic=True
        )
        connection.connection.create_function(
            "upper", 1, lambda s: s.upper() if isinstance(s, str) else s, deterministic=True
        )


class ClubportalConfig(AppConfig):
    name = "clubportal"
    verbose_name = _("Club portal")

    def ready(self):
        connection_created.connect(_unicode_case_on_sqlite, dispatch_uid="clubportal-sqlite-case")
        from .pagecache import watch_public_models

        watch_public_models()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (clubportal.adminsite) as admin.site."""

    default_site = "clubportal.adminsite.PortalAdminSite"
    # Not the configuration of the «clubportal» app, which is ClubportalConfig above.
    default = False
