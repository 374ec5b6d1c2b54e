"""Hostile attachments: stored under a safe name and served as a download, or refused in words.

One part of the hostile-input suite (tests/hostile/__init__.py says what it covers).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import MeetingAttachment
from tests.hostile.common import (
    CYRILLIC,
    LONG,
    NUL,
    NUL_MESSAGE,
    SCRIPT,
    assert_escaped,
    post_meeting,
    too_long,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def post_attachment(client, meeting, title, upload):
    return post_meeting(
        client,
        meeting,
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-kind": "document",
            "attachments-0-title": title,
            "attachments-0-file": upload,
        },
    )


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("<script>.pdf", SCRIPT),
        ("../../etc/passwd", "Положение\r\nSet-Cookie: session=stolen"),
        ("👩‍💼📚 «Положение» №\u00a05.pdf", CYRILLIC),
    ],
)
def test_an_attachment_with_a_hostile_name_is_stored_safely_and_served_as_a_download(
    secretary_client, client, meeting, name, title
):
    response = post_attachment(
        secretary_client, meeting, title, SimpleUploadedFile(name, PDF_BYTES)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = MeetingAttachment.objects.get(meeting=meeting)
    assert item.title == title.strip()
    assert re.fullmatch(rf"meetings/{meeting.pk}/[0-9a-f]{{32}}\.pdf", item.file.name)
    stored = Path(item.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stored.read_bytes() == PDF_BYTES

    assert_escaped(client.get(f"/meetings/{meeting.slug}/"))
    download = client.get(f"/meetings/{meeting.slug}/files/{item.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition and "<" not in disposition
    assert b"".join(download.streaming_content) == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "content", "title", "message"),
    [
        ("empty.pdf", b"", "Пустой файл", "Отправленный файл пуст."),
        ("<script>.pdf", b"<script>alert(1)</script>", "Сценарий", "Такой тип файла"),
        ("ok.pdf", PDF_BYTES, LONG, too_long(300)),
        ("ok.pdf", PDF_BYTES, NUL, NUL_MESSAGE),
    ],
    ids=["empty", "script-as-pdf", "long-title", "nul-title"],
)
def test_a_bad_attachment_gets_a_message_and_nothing_is_stored(
    secretary_client, meeting, name, content, title, message
):
    response = post_attachment(secretary_client, meeting, title, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MeetingAttachment.objects.exists()
    assert_escaped(response)
