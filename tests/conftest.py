"""Shared fixtures: the demo minutes, role users, and uploads kept out of the project folder."""

import pytest

import clubportal.pdf
from clubportal import roles
from clubportal.demo import demo_load

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
def renders(monkeypatch):
    """Every HTML the PDF engine was asked to render, in this process (the worker's too)."""
    calls = []
    real_render = clubportal.pdf.render_pdf

    def counting_render(html: str) -> bytes:
        calls.append(html)
        return real_render(html)

    monkeypatch.setattr(clubportal.pdf, "render_pdf", counting_render)
    return calls
