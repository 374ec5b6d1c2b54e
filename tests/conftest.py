"""Shared fixtures: the demo minutes, role users, and uploads kept out of the project folder."""

import sqlite3

import pytest
from django.db import connection

import kernel.pdf
from demo.club import demo_load
from kernel import roles

# The real clients (LibreOffice, poppler, the Nu checker) as fixtures: tests/clients/.
from .clients.fixtures import libreoffice, nu_checker, nu_report, render_once  # noqa: F401
from .helpers import make_user


@pytest.fixture(autouse=True)
def _empty_cache():
    # The database is rolled back after each test; the cache must forget with it.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Tests create many users; the production hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "pdf_cache": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "pdf-cache")},
        },
    }


@pytest.fixture
def demo(db):
    return demo_load().meeting


@pytest.fixture
def secretary(db):
    return make_user("secretary-test", group=roles.SECRETARY)


@pytest.fixture
def centre_methodist(db):
    return make_user("centre-test", group=roles.CENTRE_METHODIST)


@pytest.fixture
def operator(db):
    return make_user("operator-test", group=roles.LIBRARY_OPERATOR, staff=False)


@pytest.fixture
def superuser(db):
    return make_user("root-test", superuser=True)


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def migrated_data(transactional_db):
    """For transactional tests: the rows data migrations made, restored after a flush."""
    from .helpers import restore_migration_data

    restore_migration_data()


@pytest.fixture
def concurrent_db(migrated_data, tmp_path):
    """For transactional tests whose threads write at once, with real commits, as gunicorn's
    workers do.

    PostgreSQL's test database is such a database already. SQLite's in-memory one is not:
    its connections share one cache with table locks that fail at once instead of waiting,
    which production never sees. On SQLite the test runs on a file copy of it, which every
    new connection opens with the settings' options (WAL, busy timeout, IMMEDIATE).
    """
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "concurrent.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    # The in-memory database lives as long as a connection to it: keep this one aside.
    settings_dict, name = connection.settings_dict, connection.settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    connection.connection = None
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = memory


@pytest.fixture
def renders(monkeypatch):
    """Every HTML the PDF engine was asked to render, in this process (the worker's too)."""
    calls = []
    real_render = kernel.pdf.render_pdf

    def counting_render(html: str) -> bytes:
        calls.append(html)
        return real_render(html)

    monkeypatch.setattr(kernel.pdf, "render_pdf", counting_render)
    return calls
