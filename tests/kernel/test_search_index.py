"""The search column and its index: filled for the rows that existed before it, kept by the
bulk writes, rebuilt on SQLite when a table remake dropped its triggers."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from intake import search
from kernel.search import matching, sqlite_search_tables
from meetings.models import Meeting
from members.models import Member
from resolutions.models import Resolution
from tests.helpers import make_meeting, make_member, make_resolution

BEFORE = [
    ("meetings", "0006_meeting_date_in_range"),
    ("members", "0004_organization_aliases"),
    ("resolutions", "0005_dates_in_range"),
]


def found(model, query):
    return set(
        matching(model.objects.all(), search.query_groups(query)).values_list("pk", flat=True)
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_fills_the_column_of_the_rows_already_there(migrated_data):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        municipality = old.get_model("members", "Municipality").objects.create(name="Юрга")
        organization = old.get_model("members", "Organization").objects.create(
            short_name="ЦБС Юрги", municipality=municipality
        )
        member = old.get_model("members", "Member").objects.create(
            last_name="Фёдорова", first_name="Анна", organization=organization
        )
        meeting = old.get_model("meetings", "Meeting").objects.create(
            slug="2020-01-01", title="Заседание", topic="Летний читальный зал", date="2020-01-01"
        )
        item = old.get_model("resolutions", "Resolution").objects.create(
            meeting=meeting,
            section=1,
            number=1,
            kind="decision",
            text="Работать под открытым небом.",
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        sqlite_search_tables()  # what migrate's post_migrate does; the executor sends none

    assert found(Member, "Федоровой") == {member.pk}
    assert found(Meeting, "читальные залы") == {meeting.pk}
    assert found(Resolution, "открытое небо") == {item.pk}


@pytest.mark.django_db
def test_bulk_written_rows_are_found_once_their_column_is_filled():
    meeting = make_meeting(datetime.date(2023, 1, 1))
    row = Resolution(meeting=meeting, section=1, number=1, kind="note", text="Учёт посещений.")
    row.refresh_search_lemmas()
    [created] = Resolution.objects.bulk_create([row])
    assert found(Resolution, "учет") == {created.pk}
    Resolution.objects.filter(pk=created.pk).delete()
    assert found(Resolution, "учет") == set()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
def test_a_lost_trigger_is_restored_and_the_index_rebuilt():
    member = make_member("Кентнер", first_name="Наталья")
    with connection.cursor() as cursor:
        cursor.execute('DROP TRIGGER "members_member_search_update"')
        cursor.execute(
            'INSERT INTO "members_member_search" ("members_member_search") VALUES (\'delete-all\')'
        )
    assert found(Member, "Кентнер") == set()
    assert sqlite_search_tables() == ["members_member_search"]
    assert found(Member, "Кентнер") == {member.pk}
    member.last_name = "Девятых"
    member.save()
    assert found(Member, "Кентнер") == set() and found(Member, "Девятых") == {member.pk}
    assert sqlite_search_tables() == []  # nothing missing: nothing rebuilt


@pytest.mark.django_db
def test_a_member_is_searched_by_name_and_position_only():
    member = make_member(
        "Тайнова", email="tainova@example.ru", phone="+7 900 123-45-67", position="методист"
    )
    assert "tainova" not in member.search_lemmas and "123" not in member.search_lemmas
    assert found(Member, "методист") == {member.pk}
    make_resolution(make_meeting(), 1, text="Тайнова")  # another model's row is not hers
    assert found(Member, "Тайнова") == {member.pk}
