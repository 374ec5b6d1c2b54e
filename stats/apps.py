from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kernel.pagecache import watch


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        # What the public pages and files show: the page cache must notice its changes.
        from .models import (
            DecisionTarget,
            DecisionTargetSystem,
            FormTemplate,
            Indicator,
            Report,
            Value,
        )

        watch(Report, Value, Indicator, FormTemplate, DecisionTarget, DecisionTargetSystem)
