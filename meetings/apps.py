from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kernel.pagecache import watch


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # What the public pages and files show: the page cache must notice its changes.
        from .models import AgendaItem, Attendance, Meeting, MeetingAttachment

        watch(Meeting, AgendaItem, Attendance, MeetingAttachment)
