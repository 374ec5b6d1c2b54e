"""Request bodies larger than any form takes are refused by their length, before they are read.

Without the limit Django reads a body when a form first asks for it and spools every file to
disk, so a 200 MB upload was written out whole before the form refused it.
"""

import asyncio
import io
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from stats.models import ImportLog
from tests.helpers import make_operator, make_organization, make_report

MB = 1024 * 1024
TOO_LARGE = "Файл слишком большой (200,0\xa0МБ); допускается не более 25,0\xa0МБ."


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readinto = readline = read


def test_the_limit_holds_an_attachment_and_the_rest_of_its_form():
    from kernel.uploads import MAX_ATTACHMENT_BYTES

    assert settings.MAX_REQUEST_BYTES == 25 * MB
    # A 20 MB attachment, its form's other fields (Django caps them at 2.5 MB) and the
    # multipart boundaries.
    assert settings.MAX_REQUEST_BYTES > MAX_ATTACHMENT_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/stats/reports/1/import/", "/admin/meetings/meeting/add/", "/accounts/login/"]
)
def test_a_body_above_the_limit_is_refused_by_its_length_before_it_is_read(client, path):
    report = make_report(make_organization("ЦБС Юргинского округа"), 2021, 6)
    client.force_login(make_operator(report.organization))
    response = client.generic(
        "POST",
        path,
        content_type="multipart/form-data; boundary=x",
        **{"CONTENT_LENGTH": str(200 * MB), "wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert response.templates[0].name == "413.html"
    html = response.content.decode()
    assert TOO_LARGE in html
    assert "Ничего не сохранено. Загружайте вложения по одному, каждое не больше 20,0" in html
    # A page of the portal like any other: its security headers too.
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert not ImportLog.objects.exists()


@pytest.mark.django_db
def test_a_body_within_the_limit_reaches_the_form(client):
    report = make_report(make_organization("ЦБС Юргинского округа"), 2021, 6)
    client.force_login(make_operator(report.organization))
    upload = SimpleUploadedFile("отчёт.xlsx", b"\0" * (4 * MB))
    response = client.post(f"/stats/reports/{report.pk}/import/", {"file": upload})
    assert response.status_code == 200
    assert "Книга не загружена; ничего не сохранено." in response.content.decode()
    assert ImportLog.objects.get().filename == "отчёт.xlsx"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_live_server_answers_413_before_the_body_is_sent(live_server, migrated_data):
    host = urlsplit(live_server.url)
    with socket.create_connection((host.hostname, host.port), timeout=10) as sock:
        sock.sendall(
            b"POST /stats/reports/1/import/ HTTP/1.1\r\n"
            b"Host: " + host.netloc.encode() + b"\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: " + str(200 * MB).encode() + b"\r\n\r\n"
        )
        # Not one byte of the 200 MB is sent: the answer comes anyway (the development
        # server then waits for the body to keep the connection in step; a client need not).
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
        head, _, body = answer.partition(b"\r\n\r\n")
        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        while len(body) < length:
            body += sock.recv(65536)
    assert head.startswith(b"HTTP/1.1 413")
    assert TOO_LARGE in body.decode()


# --- The ASGI entry point, where Django reads the body before any middleware ------------------


def asgi_call(headers: list[tuple[bytes, bytes]], chunks: int, chunk_size: int = MB):
    """Call clubportal.asgi.application; a body of `chunks` pieces sent without a length."""
    from clubportal.asgi import application

    received = []
    sent = []

    async def receive():
        if len(received) < chunks:
            received.append(chunk_size)
            return {
                "type": "http.request",
                "body": b"x" * chunk_size,
                "more_body": len(received) < chunks,
            }
        await asyncio.sleep(3600)  # nothing more: a client that waits for the answer

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/stats/reports/1/import/",
        "raw_path": b"/stats/reports/1/import/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    # In a thread of its own: the browser tests leave an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(
            asyncio.run, asyncio.wait_for(application(scope, receive, send), timeout=60)
        ).result()
    return len(received), sent


def test_asgi_refuses_a_declared_length_above_the_limit_before_receiving():
    received, sent = asgi_call([(b"content-length", str(200 * MB).encode())], chunks=200)
    assert received == 0
    assert sent[0]["status"] == 413
    assert TOO_LARGE in sent[1]["body"].decode()


def test_asgi_cuts_a_chunked_body_off_at_the_limit():
    received, sent = asgi_call([(b"transfer-encoding", b"chunked")], chunks=200)
    assert received == 26  # 25 MB taken, the 26th refused: never the 200
    assert sent[0]["status"] == 413
    assert "Файл слишком большой (26,0\xa0МБ); допускается не более 25,0\xa0МБ." in (
        sent[1]["body"].decode()
    )
