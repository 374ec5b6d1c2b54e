"""manage.py load_demo: the seed minutes of 23 June 2021 and, with debug on, a demo secretary."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from clubportal.demo import demo_load, demo_secretary
from meetings.models import Meeting


class Command(BaseCommand):
    help = "Loads the club's minutes of 23 June 2021 as demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds a meeting.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Meeting.objects.exists():
            self.stdout.write(_("The database already holds meetings; the demo was not loaded."))
        elif demo_load().created:
            self.stdout.write(self.style.SUCCESS(_("Demo minutes of 23 June 2021 loaded.")))
        else:
            self.stdout.write(_("Demo minutes of 23 June 2021 are already in the database."))

        if settings.DEBUG:
            login, password = demo_secretary()
            if password:
                message = _(
                    "Admin: http://127.0.0.1:8000/admin/  login: %(login)s  password: %(password)s"
                ) % {"login": login, "password": password}
            else:
                message = _(
                    "Admin: http://127.0.0.1:8000/admin/  login: %(login)s "
                    "(the password was changed)"
                ) % {"login": login}
            self.stdout.write(self.style.WARNING(message))
