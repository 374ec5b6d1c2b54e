"""Lets the secretary link the indicators a decision aims to move; the centre reads them."""

from django.db import migrations


def sync_groups(apps, schema_editor):
    from kernel.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("clubportal", "0006_role_groups_notices"),
        ("stats", "0013_decision_targets"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
