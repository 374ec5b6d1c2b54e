"""Search by lemmas, the same on SQLite and PostgreSQL (kernel.search): the stored column,
filled for the rows that exist, its GIN index on PostgreSQL; the «russian» full-text
indexes it replaces are dropped."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from intake import search
from kernel.migration_ops import (
    PostgresOnlyAddIndex,
    PostgresOnlyRemoveIndex,
    sqlite_search_index,
)


def _gin(fields, name, config):
    return django.contrib.postgres.indexes.GinIndex(
        django.contrib.postgres.search.SearchVector(*fields, config=config), name=name
    )


def _fill(model, heading, text):
    batch = []
    for row in model._default_manager.all().iterator(chunk_size=500):
        row.search_lemmas = search.document(heading(row), text(row))
        batch.append(row)
        if len(batch) == 500:
            model._default_manager.bulk_update(batch, ["search_lemmas"])
            batch = []
    model._default_manager.bulk_update(batch, ["search_lemmas"])


# The texts as Resolution.refresh_search_lemmas reads them on the day of this migration.
def fill(apps, schema_editor):
    _fill(
        apps.get_model("resolutions", "Resolution"),
        lambda r: "",
        lambda r: f"{r.text} {r.responsible_person}",
    )


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0006_to_library_systems")]

    operations = [
        migrations.AddField(
            model_name="resolution",
            name="search_lemmas",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        sqlite_search_index("resolutions", "resolution"),
        PostgresOnlyAddIndex(
            model_name="resolution",
            index=_gin(["search_lemmas"], "resolution_search_lemmas", "simple"),
        ),
        PostgresOnlyRemoveIndex(
            model_name="resolution", index=_gin(["text"], "resolution_search_ru", "russian")
        ),
    ]
