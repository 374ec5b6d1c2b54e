"""Every form version gets its check thresholds, at the defaults, so the centre sees and tunes
them in the admin (an approved version's stay as they are, frozen with its rows)."""

from django.db import migrations


def create_settings(apps, schema_editor):
    FormTemplate = apps.get_model("stats", "FormTemplate")
    CheckSettings = apps.get_model("stats", "CheckSettings")
    have = set(CheckSettings.objects.values_list("form_id", flat=True))
    CheckSettings.objects.bulk_create(
        [
            CheckSettings(form_id=pk)
            for pk in FormTemplate.objects.values_list("pk", flat=True)
            if pk not in have
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("stats", "0011_check_settings_and_entry_by_centre")]

    operations = [migrations.RunPython(create_settings, migrations.RunPython.noop)]
