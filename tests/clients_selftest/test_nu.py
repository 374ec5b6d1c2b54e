"""The Nu HTML checker reads pages as the W3C validator does: the harness the pages tests rely
on, proved on a known-good page, a known-bad one and today's archive page, in one JVM run.

The archive page's own errors are issue 14's to fix: here it only has to be checked and its
messages mapped to it (an error put into a copy of it is found, on its line, beside the rest).
"""

import pytest

from demo.club import demo_load

pytestmark = pytest.mark.django_db  # nu_report renders the archive from the test database

GOOD = """<!doctype html>
<html lang="ru">
<head><meta charset="utf-8"><title>Заседания — Клуб деловых встреч методистов Кузбасса</title>
</head>
<body><main><h1>Заседания</h1>
<form role="search" action="/meetings/"><label for="q">Поиск</label>
<input id="q" name="q" type="search">
<button type="submit">Найти</button></form>
<p>Ежегодное заседание Клуба деловых встреч методистов Кузбасса состоялось 23 июня 2021 г.
в онлайн-режиме.</p></main></body>
</html>
"""
# The finding on /meetings/: a submit button whose name is empty.
BAD = GOOD.replace('<button type="submit">', '<button type="submit" name="">')
EMPTY_NAME = "Bad value “” for attribute “name” on element “button”: Must not be empty."
INJECTED = '<button type="button" name="">Пусто</button>'


def with_injected_error(html: str) -> str:
    """The page with a button of an empty name put before </body>, on the line it was on."""
    at = html.rindex("</body>")
    return html[:at] + INJECTED + html[at:]


def nu_documents(client) -> dict[str, str]:
    demo_load()
    response = client.get("/meetings/")
    assert response.status_code == 200
    archive = response.content.decode()
    broken = with_injected_error(archive)
    return {"good": GOOD, "bad": BAD, "/meetings/": archive, "/meetings/ + error": broken}


def test_every_document_gets_its_own_result(nu_report):
    assert set(nu_report) == {"good", "bad", "/meetings/", "/meetings/ + error"}


def test_a_valid_page_has_no_errors(nu_report):
    assert nu_report["good"].errors == []


def test_a_button_with_an_empty_name_is_an_error_on_its_line(nu_report):
    (error,) = nu_report["bad"].errors
    assert error.message == EMPTY_NAME
    assert error.last_line == next(
        number for number, line in enumerate(BAD.splitlines(), 1) if 'name=""' in line
    )


def test_the_archive_page_is_checked_and_its_messages_mapped_to_it(nu_report):
    archive = nu_report["/meetings/"]
    broken = nu_report["/meetings/ + error"]
    for message in archive.messages:
        assert message.type in {"error", "info"} and message.message
        assert message.last_line >= 1
    (added,) = [m for m in broken.errors if "Пусто" in (m.extract or "")]
    assert added.message == EMPTY_NAME
    # Everything the checker said of the page it says of the copy, and that one error more.
    said = sorted((m.type, m.message, m.last_line) for m in archive.messages)
    assert said == sorted((m.type, m.message, m.last_line) for m in broken.messages if m != added)
