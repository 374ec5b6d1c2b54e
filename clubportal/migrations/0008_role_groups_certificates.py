"""Gives the secretary the register of participation certificates and the right to issue
one for a member admitted only by draft minutes; the centre's methodists read the register."""

from django.db import migrations


def sync_groups(apps, schema_editor):
    from kernel.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("clubportal", "0007_role_groups_decision_targets"),
        ("chronicle", "0001_certificate_register"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
