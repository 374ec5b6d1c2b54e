"""Attachments are judged by content and size, stored under names nobody can guess."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import MeetingAttachment
from tests.formscrape import form_data
from tests.helpers import make_meeting

pytestmark = pytest.mark.django_db


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def post_attachment(client, meeting, upload):
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(client.get(url).content.decode(), "meeting_form")
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-kind": "document",
            "attachments-0-title": "Положение о конкурсе",
            "attachments-0-file": upload,
        }
    )
    return client.post(url, data)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "Такой тип файла не принимается"),
        ("photo.jpg", b"MZ\x90\x00 executable", "Такой тип файла не принимается"),
        ("empty.pdf", b"", "Отправленный файл пуст"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_with_a_message(
    secretary_client, name, content, message
):
    meeting = make_meeting()
    response = post_attachment(secretary_client, meeting, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MeetingAttachment.objects.exists()


def test_an_oversized_file_gets_a_message_not_a_500(secretary_client, settings):
    from kernel import uploads

    meeting = make_meeting()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (uploads.MAX_ATTACHMENT_BYTES + 1))
    response = post_attachment(secretary_client, meeting, big)
    assert response.status_code == 200
    assert "принимаются файлы до 20,0\xa0МБ" in response.content.decode()
    assert not MeetingAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("scan.pdf", b"%PDF-1.4\n%test", ".pdf", "application/pdf"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, ".png", "image/png"),
        (
            "doc.docx",
            None,
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        # A PDF named .html is stored and served as the PDF it is.
        ("trick.html", b"%PDF-1.4\n%test", ".pdf", "application/pdf"),
    ],
)
def test_accepted_files_are_stored_by_content_and_served_as_downloads(
    secretary_client, client, name, content, extension, content_type
):
    meeting = make_meeting()
    content = content if content is not None else docx_bytes()
    response = post_attachment(secretary_client, meeting, SimpleUploadedFile(name, content))
    assert response.status_code == 302, response.content.decode()[:3000]
    item = MeetingAttachment.objects.get()
    assert item.file.name.endswith(extension)
    assert name.rsplit(".", 1)[0] not in item.file.name.rsplit("/", 1)[1].rsplit(".", 1)[0]
    download = client.get(f"{meeting.get_absolute_url()}files/{item.pk}/")
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"].startswith("attachment")
