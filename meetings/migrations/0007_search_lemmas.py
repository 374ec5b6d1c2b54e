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


# The texts as Meeting.refresh_search_lemmas and AgendaItem.refresh_search_lemmas read them
# on the day of this migration.
def fill(apps, schema_editor):
    _fill(
        apps.get_model("meetings", "Meeting"),
        lambda m: f"{m.title} {m.topic}",
        lambda m: f"{m.number} {m.preamble} {m.address}",
    )
    _fill(
        apps.get_model("meetings", "AgendaItem"),
        lambda a: a.title,
        lambda a: f"{a.speakers} {a.summary}",
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0006_meeting_date_in_range")]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="search_lemmas",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="meeting",
            name="search_lemmas",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        sqlite_search_index("meetings", "meeting"),
        sqlite_search_index("meetings", "agendaitem"),
        PostgresOnlyAddIndex(
            model_name="meeting", index=_gin(["search_lemmas"], "meeting_search_lemmas", "simple")
        ),
        PostgresOnlyAddIndex(
            model_name="agendaitem",
            index=_gin(["search_lemmas"], "agenda_search_lemmas", "simple"),
        ),
        PostgresOnlyRemoveIndex(
            model_name="meeting",
            index=_gin(["title", "topic", "preamble"], "meeting_search_ru", "russian"),
        ),
        PostgresOnlyRemoveIndex(
            model_name="agendaitem",
            index=_gin(["title", "summary"], "agenda_search_ru", "russian"),
        ),
    ]
