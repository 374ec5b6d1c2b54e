"""The API's docs page in the browser: Swagger UI from the package's own files renders the
operations under the portal's Content Security Policy, with nothing fetched from elsewhere."""

import pytest

from .conftest import csp_problems, screenshot

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.e2e]


def test_docs_page_renders_under_the_csp(page, live_server):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/api/docs/")
    page.wait_for_selector("text=/api/resolutions/")
    assert page.locator(".opblock").count() >= 10  # every operation is listed
    screenshot(page, "api-docs")
    assert csp_problems(page) == []
    assert [url for url in requests if not url.startswith(live_server.url)] == []
