"""The guards of these tests see what they guard: a file or address asked for, a socket opened.

One part of the hostile-input suite (tests/hostile/__init__.py says what it covers).
"""

import io
import socket

import pytest
from pypdf import PdfReader

from kernel.pdf import render_pdf
from tests.hostile.common import WEASYPRINT, assert_nothing_outside

pytestmark = pytest.mark.django_db


def test_the_guards_see_what_they_guard(outside):
    # Raw markup straight to the renderer (the templates escape it, so it never gets there):
    # the spy sees the fetcher being asked for the file and the address (it refuses both).
    html = (
        f"<html><head>{WEASYPRINT[2]}{WEASYPRINT[3]}</head><body>{''.join(WEASYPRINT[:2])}</body>"
    )
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    assert reader.attachments == {}
    assert "file:///etc/passwd" in outside.urls
    assert any(url.startswith("http://169.254.169.254/") for url in outside.urls)
    with pytest.raises(AssertionError):
        assert_nothing_outside(outside)
    with pytest.raises(OSError):
        socket.create_connection(("169.254.169.254", 80))
    assert outside.sockets == [("169.254.169.254", 80)]
    outside.sockets.clear()
