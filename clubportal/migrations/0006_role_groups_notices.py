"""Gives the secretary the subscriptions and the decisions' reminder addresses, and both
roles the sent-log, read-only."""

from django.db import migrations


def sync_groups(apps, schema_editor):
    from kernel.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("clubportal", "0005_public_content_version_to_kernel"),
        ("notices", "0001_subscriptions_and_sent_log"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
