from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kernel.pagecache import watch


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = _("Resolutions")

    def ready(self):
        # What the public pages and files show: the page cache must notice its changes.
        from .models import Admission, Resolution, ResolutionProgress

        watch(
            Resolution,
            Admission,
            ResolutionProgress,
            m2m=[Resolution.responsible_organizations.through],
        )
