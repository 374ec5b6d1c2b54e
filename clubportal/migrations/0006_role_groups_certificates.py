"""Gives the secretary the register of participation certificates and the right to issue
one for a member admitted only by draft minutes; the centre's methodists read the register."""

from django.db import migrations


def sync_groups(apps, schema_editor):
    from kernel.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("clubportal", "0005_public_content_version_to_kernel"),
        ("chronicle", "0001_certificate_register"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
