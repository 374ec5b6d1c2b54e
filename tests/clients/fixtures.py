"""The real clients as pytest fixtures (imported by tests/conftest.py).

- `libreoffice` (session): one soffice profile for the whole run; batch the files of a module
  (`libreoffice.read_workbooks([...])`) to pay soffice's start-up once.
- `nu_checker` (session) and `nu_report` (module): the module defines
  `nu_documents(client) -> {name: html}`; `nu_report` renders them once, in a transaction
  rolled back afterwards, checks them all in one JVM run and maps each name to its Result.
- `render_once` (module): that rendering step for any client, returning whatever `collect`
  returns, e.g. the bytes of every workbook a module reads with LibreOffice.
  A module using it (or `nu_report`) is marked `pytestmark = pytest.mark.django_db`.

A session is one process (pytest-xdist would give each worker its own profile too, since
tmp_path_factory is per worker).
"""

from collections.abc import Callable
from typing import TypeVar

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from . import ClientMissing
from .libreoffice import LibreOffice
from .nu import NuChecker, Result

T = TypeVar("T")


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory) -> LibreOffice:
    try:
        return LibreOffice(tmp_path_factory.mktemp("libreoffice"))
    except ClientMissing as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def nu_checker() -> NuChecker:
    try:
        return NuChecker()
    except ClientMissing as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def render_once(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """`render_once(collect)`: runs `collect(client)` with a Django test client against the
    test database, in a transaction rolled back afterwards, with uploads, the PDF cache and
    the cache kept apart from other tests; returns what `collect` returned.

    For modules whose tests all read the same rendered pages or files: they are made once
    and read by the real client in one run, where function-scoped fixtures would make them
    (and start the client) once per test. The module must be marked
    `pytestmark = pytest.mark.django_db`: pytest-django sets the test database up only when
    a collected test asks for it, and this fixture would otherwise open the real one.
    """
    if request.node.get_closest_marker("django_db") is None:
        pytest.fail(f"{request.module.__name__} uses render_once: mark it django_db")

    def render(collect: Callable[[Client], T]) -> T:
        folder = tmp_path_factory.mktemp("rendered")
        storages = {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "pdf_cache": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(folder / "pdf-cache")},
            },
        }
        with (
            django_db_blocker.unblock(),
            override_settings(
                MEDIA_ROOT=folder / "media", STORAGES={**settings.STORAGES, **storages}
            ),
        ):
            cache.clear()
            try:
                with transaction.atomic():
                    result = collect(Client())
                    transaction.set_rollback(True)
            finally:
                cache.clear()
        return result

    return render


@pytest.fixture(scope="module")
def nu_report(request, render_once, nu_checker) -> dict[str, Result]:
    collect = getattr(request.module, "nu_documents", None)
    if collect is None:
        pytest.fail(f"{request.module.__name__} uses nu_report but defines no nu_documents()")
    return nu_checker.check(render_once(collect))


def response_bytes(response) -> bytes:
    """The body of a response, streamed (FileResponse) or not, after checking it is a 200."""
    assert response.status_code == 200, (response.status_code, response.get("Content-Type"))
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
