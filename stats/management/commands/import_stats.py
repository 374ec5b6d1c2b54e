"""manage.py import_stats FILE: many reports' figures from one workbook, all or nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stats.importer import bulk_values_import
from stats.models import FormTemplate


class Command(BaseCommand):
    help = (
        "Imports statistics figures from an .xlsx workbook. Every sheet has a header row, "
        "then rows of: organisation (short name), year, month, indicator code, value. "
        "The whole file is checked first; either every figure is saved or none is."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx workbook.")
        parser.add_argument("--form", help="Form code (default: the latest approved form).")
        parser.add_argument(
            "--form-version", type=int, help="Form version (default: the latest approved)."
        )
        parser.add_argument("--user", help="Username recorded as the author of the import.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        form = None
        if options["form"]:
            forms = FormTemplate.objects.filter(code=options["form"])
            if options["form_version"]:
                forms = forms.filter(version=options["form_version"])
            form = forms.order_by("-version").first()
            if form is None:
                raise CommandError(_("No such form: %(form)s") % {"form": options["form"]})
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No such user: %(user)s") % {"user": options["user"]})

        with path.open("rb") as fileobj:
            result = bulk_values_import(fileobj=fileobj, user=user, filename=path.name, form=form)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error.message)
            raise CommandError(_("The workbook was not imported; nothing was saved."))
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported values: %(values)s; reports: %(reports)s.")
                % {"values": result.values_count, "reports": len(result.reports)}
            )
        )
