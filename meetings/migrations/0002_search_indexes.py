"""GIN indexes for Russian full-text search over meetings and their agenda (PostgreSQL only)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

from kernel.migration_ops import PostgresOnlyAddIndex


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        # The expressions match minutes.selectors.search_meetings exactly, or PostgreSQL
        # would not use the index.
        PostgresOnlyAddIndex(
            model_name="meeting",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector(
                    "title", "topic", "preamble", config="russian"
                ),
                name="meeting_search_ru",
            ),
        ),
        PostgresOnlyAddIndex(
            model_name="agendaitem",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector("title", "summary", config="russian"),
                name="agenda_search_ru",
            ),
        ),
    ]
