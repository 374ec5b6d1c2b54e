"""The minutes: a meeting with its resolutions and admissions, composed for reading.

Above both meetings and resolutions, so that neither needs the other's modules: the public
page of a meeting, the archive that searches and counts its items, the minutes PDF and
workbook, the extract of one item, and the background render of long minutes.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Minutes")
