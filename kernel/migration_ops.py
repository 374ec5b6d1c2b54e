"""Migration operations the project shares: indexes that exist only on PostgreSQL, and the
step that takes the SQLite search index away before its column."""

from django.db import migrations

from .search import SEARCH_VECTOR_COLUMN, drop_sqlite_search_index


class PostgresOnlyAddIndex(migrations.AddIndex):
    """Adds an index on PostgreSQL and nothing elsewhere (SQLite has no GIN).

    The index is kept out of the model state: the models do not declare it, so
    makemigrations stays quiet on both databases.
    """

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = to_state.apps.get_model(app_label, self.model_name)
            schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.remove_index(model, self.index)

    def describe(self):
        return f"Create PostgreSQL-only index {self.index.name} on {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_{self.index.name.lower()}_pg"


def refuse_out_of_range(app_label: str, model_name: str, field: str, *, year: bool = False):
    """A migration step that stops, naming the records, when a date or year to be checked
    by a new constraint is already outside 1990–2100 (kernel.validators).

    The database would refuse the constraint with a message naming no record. Which date a
    meeting really had is for the secretary to say: correct those records in the admin
    (with the code before this migration), then migrate again.
    """
    from .validators import date_in_range, year_in_range

    def check(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        condition = year_in_range(field) if year else date_in_range(field, null=True)
        found = list(model._default_manager.exclude(condition).values_list("pk", field)[:20])
        if found:
            listed = ", ".join(f"id {pk}: {value}" for pk, value in found)
            raise RuntimeError(
                f"{app_label}.{model_name}.{field} must be within 1990–2100; correct these "
                f"records in the admin and migrate again: {listed}"
            )

    return migrations.RunPython(check, migrations.RunPython.noop, elidable=True)


class PostgresOnlyRemoveIndex(PostgresOnlyAddIndex):
    """Drops a PostgreSQL-only index made by PostgresOnlyAddIndex (given whole, so that the
    migration can be reversed), and nothing elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, to_state, from_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, to_state, from_state)

    def describe(self):
        return f"Drop PostgreSQL-only index {self.index.name} on {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"remove_{self.model_name.lower()}_{self.index.name.lower()}_pg"


def postgres_search_vector(table: str, replaces_index: str):
    """The stored search vector of ``table`` on PostgreSQL (kernel.search.SEARCH_VECTOR_COLUMN:
    a generated column the models do not know and never write, with its GIN index); nothing
    elsewhere. ``replaces_index``: the GIN index on the to_tsvector expression it replaces."""
    column, index = SEARCH_VECTOR_COLUMN, f"{table}_search_vector"
    expression = "to_tsvector('simple'::regconfig, COALESCE(search_lemmas, ''))"

    def add(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'ALTER TABLE "{table}" ADD COLUMN "{column}" tsvector GENERATED ALWAYS AS '
                f"({expression}) STORED"
            )
            schema_editor.execute(f'CREATE INDEX "{index}" ON "{table}" USING gin ("{column}")')
            schema_editor.execute(f'DROP INDEX IF EXISTS "{replaces_index}"')

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{replaces_index}" ON "{table}" '
                f"USING gin (({expression}))"
            )
            schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "{column}"')

    return migrations.RunPython(add, drop)


def sqlite_search_index(app_label: str, model_name: str):
    """The step after a search column's AddField: nothing forwards (migrate's post_migrate
    builds the FTS5 index on SQLite, kernel.search); backwards, the index and its triggers
    go before the column does, or SQLite refuses to drop a column its triggers read."""

    def drop(apps, schema_editor):
        drop_sqlite_search_index(schema_editor.connection, apps.get_model(app_label, model_name))

    return migrations.RunPython(migrations.RunPython.noop, drop)
