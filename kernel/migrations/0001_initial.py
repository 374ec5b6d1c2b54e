# The counter of public changes moved here from the project package (clubportal 0003):
# the table stays as it is, only Django's idea of which app owns it changes.

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("clubportal", "0004_role_groups_check_settings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PublicContentVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version", models.BigIntegerField(default=1, verbose_name="version")),
                    ],
                    options={
                        "verbose_name": "public content version",
                        "verbose_name_plural": "public content versions",
                        "db_table": "clubportal_publiccontentversion",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
