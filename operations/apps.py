"""The operators' tools: the scale benchmark, backup and restore, the PDF cache's purge.

An app of its own for its management commands; it may import every app below the project
package, and nothing imports it.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations")
