"""The demo data: the seed minutes word for word, the club around them, a region's statistics.

An app of its own (for `manage.py load_demo`), above the domain apps it fills and below the
project package; nothing of ours imports it but the operations tools and the tests.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = _("Demo data")
