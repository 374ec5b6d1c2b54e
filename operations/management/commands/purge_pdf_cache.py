"""manage.py purge_pdf_cache: delete rendered PDFs older than a number of days."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kernel.pdf import purge_stored_pdfs


class Command(BaseCommand):
    help = (
        "Deletes rendered PDFs (the pdf_cache storage) stored more than --days days ago; "
        "current ones are rendered again when next downloaded. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError(_("--days must be at least 1."))
        deleted, kept = purge_stored_pdfs(older_than=datetime.timedelta(days=days))
        self.stdout.write(
            _("PDF files deleted (older than %(days)s days): %(deleted)s; kept: %(kept)s.")
            % {"days": days, "deleted": deleted, "kept": kept}
        )
