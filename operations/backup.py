"""Backups of the portal: the database (pg_dump, or SQLite's online backup) and the uploads.

A backup is a folder holding the database copy, a tar of MEDIA_ROOT and a manifest with
the number of rows of every table, which a restore checks against what it restored.
"""

import datetime
import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def table_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # names come from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgresql://{auth}{host}{port}/{connection.settings_dict['NAME']}"


def backup_create(*, output: Path, now: datetime.datetime | None = None) -> Path:
    """Write a consistent copy of the database and the uploads into a new folder."""
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = Path(output) / f"clubportal-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    with connection.cursor() as cursor:
        counts = table_counts(cursor, connection.introspection.table_names(cursor))
    if connection.vendor == "postgresql":
        target = folder / "database.dump"
        # One transaction snapshot: pg_dump is consistent while the portal keeps running.
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--dbname={_database_url()}",
                f"--file={target}",
            ],
            check=True,
        )
    elif connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            # SQLite's online backup API: a consistent copy even while others write.
            connection.connection.backup(copy)
        copy.close()
    else:
        raise BackupError(f"Unsupported database: {connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    manifest = {
        "created": stamp,
        "vendor": connection.vendor,
        "database": target.name,
        "tables": counts,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def backup_restore(
    *,
    folder: Path,
    database_url: str | None = None,
    sqlite_path: Path | None = None,
    media_root: Path | None = None,
) -> dict[str, int]:
    """Restore a backup into an EMPTY database and the media folder; return the row counts.

    Refuses when the restored counts differ from the manifest.
    """
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if manifest["vendor"] == "postgresql":
        if not database_url:
            raise BackupError("A PostgreSQL backup needs the URL of an empty database.")
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={database_url}",
                str(folder / manifest["database"]),
            ],
            check=True,
        )
        import psycopg

        with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
            restored = table_counts(cursor, manifest["tables"])
    else:
        if sqlite_path is None:
            raise BackupError("A SQLite backup needs the path of the database file to create.")
        sqlite_path = Path(sqlite_path)
        if sqlite_path.exists() and sqlite_path.stat().st_size:
            raise BackupError(f"{sqlite_path} exists and is not empty; restore into a new file.")
        shutil.copyfile(folder / manifest["database"], sqlite_path)
        with sqlite3.connect(sqlite_path) as conn:
            restored = table_counts(conn.cursor(), manifest["tables"])
        conn.close()
    if media_root is not None:
        media_root = Path(media_root)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / "media.tar.gz", "r:gz") as archive:
            members = [m for m in archive.getmembers() if m.name.startswith("media")]
            for member in members:
                member.name = member.name[len("media") :].lstrip("/") or "."
            archive.extractall(media_root, members=members, filter="data")
    if restored != manifest["tables"]:
        differing = sorted(
            t for t in manifest["tables"] if restored.get(t) != manifest["tables"][t]
        )
        raise BackupError(f"Restored row counts differ from the backup in: {', '.join(differing)}")
    return restored
