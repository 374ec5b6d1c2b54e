"""Search by lemmas, the same on SQLite and PostgreSQL (kernel.search): the stored column,
filled for the rows that exist, its GIN index on PostgreSQL."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from intake import search
from kernel.migration_ops import PostgresOnlyAddIndex, sqlite_search_index


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


# The texts as Member.refresh_search_lemmas reads them on the day of this migration.
def fill(apps, schema_editor):
    _fill(
        apps.get_model("members", "Member"),
        lambda m: " ".join(p for p in (m.last_name, m.first_name, m.patronymic) if p),
        lambda m: m.position,
    )


class Migration(migrations.Migration):
    dependencies = [("members", "0004_organization_aliases")]

    operations = [
        migrations.AddField(
            model_name="member",
            name="search_lemmas",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        sqlite_search_index("members", "member"),
        PostgresOnlyAddIndex(
            model_name="member", index=_gin(["search_lemmas"], "member_search_lemmas", "simple")
        ),
    ]
