"""Rendered PDFs are purged after a while; a purged current PDF is rendered again."""

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from kernel.pdf import PDF_CACHE_DIR

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def store(name: str, age_days: float) -> str:
    files = storages["pdf_cache"]
    path = files.save(f"{PDF_CACHE_DIR}/{name}", ContentFile(b"%PDF-1.7 test"))
    moment = time.time() - age_days * DAY
    os.utime(files.path(path), (moment, moment))
    return path


def test_purge_deletes_only_pdfs_older_than_the_given_days():
    old, recent = store("old.pdf", 40), store("recent.pdf", 2)
    out = io.StringIO()
    call_command("purge_pdf_cache", "--days", "30", stdout=out)
    files = storages["pdf_cache"]
    assert not files.exists(old) and files.exists(recent)
    assert out.getvalue().strip() == ("Удалено PDF-файлов (старше 30 дн.): 1; оставлено: 1.")


def test_purge_of_an_empty_cache_deletes_nothing():
    out = io.StringIO()
    call_command("purge_pdf_cache", stdout=out)
    assert "Удалено PDF-файлов (старше 30 дн.): 0; оставлено: 0." in out.getvalue()


def test_purge_refuses_zero_days():
    with pytest.raises(CommandError, match="--days должно быть не меньше 1."):
        call_command("purge_pdf_cache", "--days", "0")


def test_minutes_whose_pdf_was_purged_are_rendered_again(client, demo):
    url = "/meetings/2021-06-23/minutes.pdf"
    first = client.get(url)
    assert first.status_code == 200
    files = storages["pdf_cache"]
    _folders, names = files.listdir(PDF_CACHE_DIR)
    for name in names:
        moment = time.time() - 90 * DAY
        os.utime(files.path(f"{PDF_CACHE_DIR}/{name}"), (moment, moment))
    call_command("purge_pdf_cache", stdout=io.StringIO())
    assert files.listdir(PDF_CACHE_DIR)[1] == []
    again = client.get(url)
    assert again.status_code == 200 and again.content.startswith(b"%PDF")
    assert again["ETag"] == first["ETag"]
    assert files.listdir(PDF_CACHE_DIR)[1] == names
