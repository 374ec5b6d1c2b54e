# The counter of public changes belongs to the kernel now (kernel 0001 takes the same table).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clubportal", "0004_role_groups_check_settings"),
        ("kernel", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PublicContentVersion")],
            database_operations=[],
        ),
    ]
