from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kernel.pagecache import watch


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and organisations")

    def ready(self):
        # What the public pages and files show: the page cache must notice its changes.
        from .models import Member, Municipality, Organization

        watch(Municipality, Organization, Member)
