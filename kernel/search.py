"""The database side of the portal's search, the same on SQLite and PostgreSQL.

Public search: each searchable model stores its lemmas in a ``search_lemmas`` column (built
by ``intake.search.document()``: « небо открытый #заседание »); ``matching()`` keeps the
rows that hold a lemma of every query group, as whole words, and ``with_heading_rank()`` counts
the groups found in the heading. No stemming happens in the database, both only look the
stored words up, so both find the same rows:

- PostgreSQL: the words as a ``simple`` tsvector, served by the GIN index each app's
  migration creates on exactly ``SearchVector(field, config="simple")``;
- SQLite: an FTS5 index of the column (``<table>_search``, external content, kept by
  triggers, so that bulk_create and raw updates reach it too). A LIKE scan cost 100 ms over
  20,000 items on the bench; the index answers in 2. ``sqlite_search_tables()`` creates the
  tables and triggers after every migrate, for every model with the column, and rebuilds one
  whose triggers went missing (SQLite's schema editor remakes a table to alter it, dropping
  them).

Admin search: ``folded_contains``, a lookup on every text field, compares lower case with
«ё» read as «е» on both sides; ``admin_search_fields()`` turns a ModelAdmin's text search
fields into it, so that «Федорова» finds «Фёдорова» in every changelist and autocomplete
(SQLite's LIKE folds ASCII only; both sides are lowered by Python's rules there).
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, connections, models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower, Replace
from django.db.models.lookups import Contains

SEARCH_FIELD = "search_lemmas"
# On PostgreSQL the words of SEARCH_FIELD are also stored as a tsvector, a column the database
# generates (migration_ops.postgres_search_vector): matching reads it through its GIN index
# instead of computing to_tsvector for every row (17 µs a row: 17 ms over 1,000 meetings).
SEARCH_VECTOR_COLUMN = "search_vector"
HEADING_MARK = "#"  # intake.search.HEADING_MARK: the kernel imports nothing of ours
# SQLite's FTS5 words: letters and digits, «#» kept as a letter; no folding of its own
# (the stored lemmas are folded already, and «й» must stay «й»).
FTS_TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '#'"


def search_field():
    """The stored column: lemmas only, filled by the model's save() and the bulk loaders."""
    return models.TextField(editable=False, blank=True, default="")


def with_search_column(save_kwargs: dict, searched) -> dict:
    """save()'s keyword arguments, the search column added to ``update_fields`` when one of
    the texts it is built from is among them."""
    update_fields = save_kwargs.get("update_fields")
    if update_fields is not None and set(searched) & set(update_fields):
        save_kwargs = {**save_kwargs, "update_fields": {*update_fields, SEARCH_FIELD}}
    return save_kwargs


def _any_word(field: str, words) -> Q:
    condition = Q()
    for word in words:
        condition |= Q(**{f"{field}__contains": f" {word} "})
    return condition


def _tsquery(groups) -> str:
    def lexeme(word: str) -> str:
        return "'" + word.replace("\\", "").replace("'", "''") + "'"

    return " & ".join("(" + " | ".join(lexeme(w) for w in group) + ")" for group in groups)


def _fts_query(groups) -> str:
    def term(word: str) -> str:
        return '"' + word.replace('"', '""') + '"'

    return " AND ".join("(" + " OR ".join(term(w) for w in group) + ")" for group in groups)


def fts_table(model) -> str:
    return f"{model._meta.db_table}_search"


def _fts_rows(model, groups) -> RawSQL:
    table = connection.ops.quote_name(fts_table(model))
    return RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [_fts_query(groups)])


def matching(queryset, groups, *, in_listed_order: bool = False):
    """Rows whose stored lemmas hold at least one lemma of every group (none without groups).

    ``in_listed_order``: the caller lists the rows in an order an index gives (the items
    newest meeting first) and shows a page of them. SQLite is then told not to start from
    the words' rows (which it would fetch one by one and sort: 190 ms for 17,000 items of
    20,000), so that it walks the index and stops after the page (10 ms).
    """
    groups = [g for g in groups if g]
    if not groups:
        return queryset.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        return queryset.alias(_search=StoredSearchVector()).filter(
            _search=SearchQuery(_tsquery(groups), config="simple", search_type="raw")
        )
    if connection.vendor == "sqlite":
        if in_listed_order:
            # «id + 0» is no column: SQLite cannot look rows up by it, and checks it instead.
            return queryset.alias(_search_row=F("pk") + Value(0)).filter(
                _search_row__in=_fts_rows(queryset.model, groups)
            )
        return queryset.filter(pk__in=_fts_rows(queryset.model, groups))
    condition = Q()
    for group in groups:
        condition &= _any_word(SEARCH_FIELD, group)
    return queryset.filter(condition)


class StoredSearchVector(models.Expression):
    """The stored tsvector column of the queryset's own table, as a column of the query (so
    that it follows the table's alias when the queryset becomes a subquery)."""

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        from django.contrib.postgres.search import SearchVectorField
        from django.db.models.expressions import Col

        field = SearchVectorField()
        field.set_attributes_from_name(SEARCH_VECTOR_COLUMN)
        field.model = query.model
        return Col(query.get_initial_alias(), field, output_field=field)


def searchable_models() -> list:
    return [
        model
        for model in apps.get_models()
        if any(f.name == SEARCH_FIELD for f in model._meta.concrete_fields)
    ]


def _trigger_names(model) -> dict[str, str]:
    fts = fts_table(model)
    return {kind: f"{fts}_{kind}" for kind in ("insert", "delete", "update")}


def drop_sqlite_search_index(connection, model) -> None:
    """The FTS5 index of a model and its triggers, dropped (SQLite; nothing elsewhere)."""
    if connection.vendor != "sqlite":
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in _trigger_names(model).values():
            cursor.execute(f"DROP TRIGGER IF EXISTS {qn(name)}")
        cursor.execute(f"DROP TABLE IF EXISTS {qn(fts_table(model))}")


def sqlite_search_tables(using: str = "default", **kwargs) -> list[str]:
    """After migrate, on SQLite: the FTS5 index and its triggers for every model with the
    search column, created (and filled) where they are missing. Returns the tables built."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    built = []
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {row[0] for row in cursor.fetchall()}
        for model in searchable_models():
            table, fts = model._meta.db_table, fts_table(model)
            if table not in tables:
                continue
            described = connection.introspection.get_table_description(cursor, table)
            columns = {c.name for c in described}
            if SEARCH_FIELD not in columns:
                continue  # migrated back before the column
            names = _trigger_names(model)
            if fts in tables and set(names.values()) <= triggers:
                continue
            pk, col = qn(model._meta.pk.column), qn(SEARCH_FIELD)
            old_row = (
                f"INSERT INTO {qn(fts)} ({qn(fts)}, rowid, {col}) "
                f"VALUES ('delete', old.{pk}, old.{col});"
            )
            new_row = f"INSERT INTO {qn(fts)} (rowid, {col}) VALUES (new.{pk}, new.{col});"
            for name in names.values():
                cursor.execute(f"DROP TRIGGER IF EXISTS {qn(name)}")
            if fts not in tables:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE {qn(fts)} USING fts5({col}, content={qn(table)}, "
                    f"content_rowid={qn(model._meta.pk.column)}, "
                    # «#» is part of a word: «#небо» is a heading's word, «небо» any word.
                    f'tokenize="{FTS_TOKENIZER}")'
                )
            cursor.execute(
                f"CREATE TRIGGER {qn(names['insert'])} AFTER INSERT ON {qn(table)} "
                f"BEGIN {new_row} END"
            )
            cursor.execute(
                f"CREATE TRIGGER {qn(names['delete'])} AFTER DELETE ON {qn(table)} "
                f"BEGIN {old_row} END"
            )
            cursor.execute(
                f"CREATE TRIGGER {qn(names['update'])} AFTER UPDATE OF {col} ON {qn(table)} "
                f"BEGIN {old_row} {new_row} END"
            )
            cursor.execute(f"INSERT INTO {qn(fts)} ({qn(fts)}) VALUES ('rebuild')")
            built.append(fts)
    return built


def with_heading_rank(queryset, groups):
    """The rows annotated with ``rank``: how many of the query's groups their heading holds,
    the first ordering of results (on PostgreSQL a LIKE over the rows found; on SQLite the
    marked heading words' rows in the FTS index)."""
    total = Value(0)
    for group in groups:
        marked = [HEADING_MARK + w for w in group]
        if connection.vendor == "sqlite":
            found = Q(pk__in=_fts_rows(queryset.model, [marked]))
        else:
            found = _any_word(SEARCH_FIELD, marked)
        total = total + Case(When(found, then=Value(1)), default=Value(0))
    return queryset.annotate(rank=models.ExpressionWrapper(total, output_field=IntegerField()))


# ---------------------------------------------------------------- the admin's search


def fold(text: str) -> str:
    return text.lower().replace("ё", "е")


class FoldedContains(Contains):
    """``field__folded_contains=value``: lower case, «ё» as «е», on both sides."""

    lookup_name = "folded_contains"

    def __init__(self, lhs, rhs):
        folded = Replace(Lower(lhs), Value("ё"), Value("е"), output_field=models.TextField())
        super().__init__(folded, rhs)

    def get_prep_lookup(self):
        return fold(str(self.rhs)) if isinstance(self.rhs, str) else self.rhs

    def get_rhs_op(self, connection, rhs):
        # The database knows the operator by Django's own name (a plain LIKE).
        return connection.operators["contains"] % rhs


models.CharField.register_lookup(FoldedContains)
models.TextField.register_lookup(FoldedContains)


def admin_search_fields(model, fields) -> list[str]:
    """A ModelAdmin's search fields, those that end in a text field («last_name»,
    «organization__short_name») searched through ``folded_contains``; «^», «=», «@», explicit
    lookups and other fields (a year) stay as Django searches them."""
    return [
        f"{name}__folded_contains" if _text_field_at(model, name) else name
        for name in map(str, fields)
    ]


def _text_field_at(model, path: str) -> bool:
    if path.startswith(("^", "=", "@")):
        return False
    opts, field = model._meta, None
    for part in path.split("__"):
        try:
            field = opts.get_field(opts.pk.name if part == "pk" else part)
        except FieldDoesNotExist:
            return False  # a lookup («title__iexact»): Django's own
        if field.is_relation:
            if field.related_model is None:
                return False
            opts = field.related_model._meta
    return isinstance(field, (models.CharField, models.TextField))
