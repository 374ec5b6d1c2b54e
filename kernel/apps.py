"""The kernel as an app: the page cache's counter, the template filters, SQLite's case folding
and its search index.

The kernel imports no app of ours. What it offers the apps (the page cache, optimistic
locking, upload checks, downloads, dates, the PDF and XLSX machinery) is called by them;
what it must know of them (which models the public sees) they tell it from their ready().
"""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from . import search


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


class KernelConfig(AppConfig):
    name = "kernel"
    verbose_name = _("Club portal")

    def ready(self):
        connection_created.connect(_unicode_case_on_sqlite, dispatch_uid="kernel-sqlite-case")
        # The search's index on SQLite (kernel.search), for every model with the column.
        post_migrate.connect(search.sqlite_search_tables, dispatch_uid="kernel-sqlite-search")


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (kernel.adminsite) as admin.site."""

    default_site = "kernel.adminsite.PortalAdminSite"
    # Not the configuration of the «kernel» app, which is KernelConfig above.
    default = False
