"""Reach by e-mail: subscriptions, the messages of new minutes and the reminders."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from meetings.signals import meeting_published


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Subscriptions and reminders")

    def ready(self):
        # meetings knows nothing of the notices: its signal says minutes were published.
        from .receivers import on_meeting_published

        meeting_published.connect(on_meeting_published, dispatch_uid="notices.minutes")
