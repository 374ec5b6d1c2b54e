"""manage.py load_demo: the seed minutes of 23 June 2021, the demo statistics and, with debug
on, the demo secretary, centre methodist and library operator."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demo.club import demo_load, demo_secretary
from demo.statistics import demo_statistics_accounts, demo_statistics_load
from kernel.pagecache import bump_content_version
from meetings.models import Meeting

LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"


class Command(BaseCommand):
    help = (
        "Loads the club's minutes of 23 June 2021 and demo statistics for 2019–2025 (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds a meeting.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Meeting.objects.exists():
            self.stdout.write(_("The database already holds meetings; the demo was not loaded."))
        else:
            self._load()

        if settings.DEBUG:
            self._accounts()

    def _load(self):
        if demo_load().created:
            self.stdout.write(self.style.SUCCESS(_("Demo minutes of 23 June 2021 loaded.")))
        else:
            self.stdout.write(_("Demo minutes of 23 June 2021 are already in the database."))
        started = time.monotonic()
        result = demo_statistics_load()
        if result.reports_created:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Demo statistics loaded: %(reports)s reports with %(values)s values "
                        "of %(organizations)s library systems in %(seconds).1f s."
                    )
                    % {
                        "reports": result.reports_created,
                        "values": result.values_created,
                        "organizations": result.organizations,
                        "seconds": time.monotonic() - started,
                    }
                )
            )
        else:
            self.stdout.write(_("Demo statistics are already in the database."))
        # Bulk inserts send no save signals: tell cached public pages that data changed.
        bump_content_version()

    def _accounts(self):
        login, password = demo_secretary()
        if password:
            message = _(
                "Admin: http://127.0.0.1:8000/admin/  login: %(login)s  password: %(password)s"
            ) % {"login": login, "password": password}
        else:
            message = _(
                "Admin: http://127.0.0.1:8000/admin/  login: %(login)s (the password was changed)"
            ) % {"login": login}
        self.stdout.write(self.style.WARNING(message))
        for login, password in demo_statistics_accounts():
            if password:
                message = _("Statistics: %(url)s  login: %(login)s  password: %(password)s") % {
                    "url": LOGIN_URL,
                    "login": login,
                    "password": password,
                }
            else:
                message = _("Statistics: %(url)s  login: %(login)s (the password was changed)") % {
                    "url": LOGIN_URL,
                    "login": login,
                }
            self.stdout.write(self.style.WARNING(message))
