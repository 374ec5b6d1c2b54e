"""/favicon.ico: the portal's mark, which browsers (and the admin's pages) ask for by itself."""

import io

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_is_an_icon_cached_for_a_day(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == "max-age=86400, public"
    content = b"".join(response.streaming_content)
    icon = Image.open(io.BytesIO(content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= icon.info["sizes"]
    # The portal's blue, as in favicon.svg, in the corner of the mark.
    icon.size = (32, 32)
    assert icon.convert("RGB").getpixel((3, 16)) == (0x1D, 0x4E, 0x89)


def test_a_second_visit_is_answered_from_the_browser_cache(client):
    first = client.get("/favicon.ico")
    again = client.get("/favicon.ico", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_static_files_keep_their_own_caching(settings):
    # The day applies to the root's files only; /static/ keeps whitenoise's (hashed: forever).
    headers = {"Cache-Control": "max-age=315360000, public, immutable"}
    settings.WHITENOISE_ADD_HEADERS_FUNCTION(headers, "css/portal.abc123.css", "/static/css/x.css")
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"


def test_every_page_links_the_icon(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
