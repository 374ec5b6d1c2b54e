"""Creates the permission groups of the three working roles (see kernel/roles.py)."""

from django.db import migrations


def create_groups(apps, schema_editor):
    from kernel.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0001_initial"),
        ("meetings", "0001_initial"),
        ("resolutions", "0001_initial"),
        ("stats", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
