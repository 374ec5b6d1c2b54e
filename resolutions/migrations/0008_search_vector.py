"""PostgreSQL keeps the search words as a stored tsvector with its GIN index, so that a query
most rows match reads the index instead of computing to_tsvector row by row (kernel.search).
Nothing on SQLite, whose FTS5 index does the same."""

from django.db import migrations

from kernel.migration_ops import postgres_search_vector


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0007_search_lemmas")]

    operations = [
        postgres_search_vector("resolutions_resolution", replaces_index="resolution_search_lemmas"),
    ]
