"""GIN index for Russian full-text search over resolution texts (PostgreSQL only)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

from kernel.migration_ops import PostgresOnlyAddIndex


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0001_initial")]

    operations = [
        PostgresOnlyAddIndex(
            model_name="resolution",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector("text", config="russian"),
                name="resolution_search_ru",
            ),
        ),
    ]
