"""Gives the roles their permissions on the statistics workflow's new tables."""

from django.db import migrations


def sync_groups(apps, schema_editor):
    from kernel.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("clubportal", "0001_role_groups"),
        ("stats", "0003_form_v1"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
