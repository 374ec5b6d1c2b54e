"""The daily reminders: to operators about reports, to responsible persons about decisions.

Run by a systemd timer once a day (docs/deploy.md). Idempotent: a reminder whose key is in
the sent-log is never queued again, and the task that sends it checks the log once more, so
running it twice, or the worker catching up late, sends each reminder once.
"""

from django.core.management.base import BaseCommand, CommandError

from kernel.accounts import mail_configured
from notices.reminders import reminders_due
from notices.tasks import deliver_letter


class Command(BaseCommand):
    help = "Queues today's reminders about reports and decisions; each goes out once."

    def handle(self, *args, **options):
        if not mail_configured():
            raise CommandError("No mail server is configured (DJANGO_EMAIL_HOST): nothing sent.")
        reminders = reminders_due()
        for reminder in reminders:
            deliver_letter.enqueue(reminder.key, reminder.kind, reminder.letter.as_dict())
        self.stdout.write(f"Reminders queued: {len(reminders)}.")
