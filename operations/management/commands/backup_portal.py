"""manage.py backup_portal: a consistent copy of the database and the uploads."""

from pathlib import Path

from django.core.management.base import BaseCommand

from operations.backup import backup_create


class Command(BaseCommand):
    help = "Backs up the database and MEDIA_ROOT into a new folder under --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", type=Path)

    def handle(self, *args, output, **options):
        folder = backup_create(output=output)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
