"""make backup / make restore: a backup restores into an empty database with every record."""

import sqlite3
import uuid

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from meetings.models import MeetingAttachment
from operations.backup import BackupError, backup_create, backup_restore

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEED_ITEM = "Выразить благодарность директору Государственной научной библиотеки Кузбасса"


@pytest.fixture
def backed_up(tmp_path, settings, migrated_data):
    from demo.club import demo_load

    meeting = demo_load().meeting
    item = MeetingAttachment(meeting=meeting, title="Программа", kind="document")
    item.file = ContentFile(b"%PDF-1.4 programme", name="programme.pdf")
    item.save()
    return backup_create(output=tmp_path / "backups"), item.file.name


def test_backup_restores_into_an_empty_database_with_every_record(backed_up, tmp_path):
    folder, attachment = backed_up
    media = tmp_path / "restored-media"
    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        counts = backup_restore(folder=folder, sqlite_path=target, media_root=media)
        with sqlite3.connect(target) as conn:
            texts = [r[0] for r in conn.execute("SELECT text FROM resolutions_resolution")]
        conn.close()
    else:
        import psycopg

        name = f"restore_{uuid.uuid4().hex[:8]}"
        admin_url = "postgresql://{USER}@{HOST}:{PORT}/postgres".format(**connection.settings_dict)
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = admin_url.rsplit("/", 1)[0] + f"/{name}"
        try:
            counts = backup_restore(folder=folder, database_url=url, media_root=media)
            with psycopg.connect(url) as conn:
                texts = [r[0] for r in conn.execute("SELECT text FROM resolutions_resolution")]
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name}")
    assert counts["resolutions_resolution"] == 6
    assert counts["members_member"] == 4
    assert counts["meetings_meeting"] == 1
    assert any(t.startswith(SEED_ITEM) for t in texts)
    assert (media / attachment).read_bytes() == b"%PDF-1.4 programme"


def test_restore_refuses_a_database_that_is_not_empty(backed_up, tmp_path):
    folder, _ = backed_up
    if connection.vendor != "sqlite":
        pytest.skip("checked here for SQLite files; PostgreSQL's pg_restore refuses by itself")
    target = tmp_path / "busy.sqlite3"
    target.write_bytes(b"not empty")
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(folder=folder, sqlite_path=target)
