"""manage.py restore_portal FOLDER: restore a backup into an empty database and MEDIA_ROOT."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restores a backup folder into the configured database, which must be empty "
        "(a new PostgreSQL database, or a SQLite file that does not exist yet), and MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder, **options):
        db = settings.DATABASES["default"]
        try:
            if db["ENGINE"].endswith("sqlite3"):
                counts = backup_restore(
                    folder=folder, sqlite_path=Path(db["NAME"]), media_root=settings.MEDIA_ROOT
                )
            else:
                counts = backup_restore(
                    folder=folder,
                    database_url=os.environ["DATABASE_URL"],
                    media_root=settings.MEDIA_ROOT,
                )
        except (BackupError, KeyError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Restored {sum(counts.values())} rows in {len(counts)} tables.")
        )
