"""Migration operations the project shares: indexes that exist only on PostgreSQL."""

from django.db import migrations


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
