"""manage.py import_minutes FILE [--dry-run]: a set of minutes (.txt or .docx) as a draft.

A contract (BRIEF.md): without --dry-run the draft meeting is created and its slug is the
last line printed; with it, what would be created is printed and nothing is saved.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from intake import IntakeRejected, preview
from minutes.services import minutes_import, minutes_read

# Read no more than this: the intake refuses larger documents with its own message.
MAX_FILE_BYTES = 10 * 1024 * 1024


class Command(BaseCommand):
    help = _("Creates a draft meeting from a set of minutes (.txt or .docx).")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("the minutes, .txt or .docx"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("show what would be created, save nothing")
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            with file.open("rb") as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from error
        try:
            draft, matches = minutes_read(data)
        except IntakeRejected as rejected:
            raise CommandError(str(rejected)) from rejected
        if draft.heading.date is None:
            raise CommandError(_("The minutes give no date of the meeting; nothing was saved."))
        self.stdout.write(preview(draft, matches))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
            return
        try:
            result = minutes_import(
                draft=draft, matches=matches, document=data, document_name=file.name
            )
        except ValidationError as refused:
            raise CommandError(
                " ".join(refused.messages) + " " + _("Nothing was saved.")
            ) from refused
        self.stdout.write(
            _(
                "Draft meeting created: %(items)d items, %(members)d new members, "
                "%(organizations)d new organisations. Nothing is public until it is published."
            )
            % {
                "items": len(result.resolutions),
                "members": len(result.new_members),
                "organizations": len(result.new_organizations),
            }
        )
        self.stdout.write(result.meeting.slug)
