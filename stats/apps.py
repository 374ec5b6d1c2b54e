from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kernel.pagecache import watch
from resolutions.panels import register_panel


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        from .decision_figures import TEMPLATE, panel
        from .models import (
            DecisionTarget,
            DecisionTargetSystem,
            FormTemplate,
            Indicator,
            Report,
            Value,
        )

        # What the public pages and files show: the page cache must notice its changes.
        watch(Report, Value, Indicator, FormTemplate, DecisionTarget, DecisionTargetSystem)
        # A resolution's page shows the figures it aims to move; resolutions know no stats.
        register_panel("stats.decision_targets", template=TEMPLATE, context=panel)
