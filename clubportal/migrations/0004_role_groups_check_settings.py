"""Gives the centre's methodists the check thresholds of the form versions in the admin."""

from django.db import migrations


def sync_groups(apps, schema_editor):
    from kernel.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("clubportal", "0003_public_content_version"),
        ("stats", "0012_check_settings_of_every_version"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
