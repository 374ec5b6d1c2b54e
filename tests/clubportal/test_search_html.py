"""/search/ as the W3C validator reads it: the empty page, a page of results with marked
words in all three groups, and a page of none, in one run of the Nu HTML checker."""

import pytest

from demo.club import demo_load

pytestmark = pytest.mark.django_db  # nu_report renders the pages from the test database


def nu_documents(client) -> dict[str, str]:
    demo_load()
    pages = {}
    queries = {"empty": "", "member": "Девятых", "sky": "под открытым небом", "none": "кракозябра"}
    for name, query in queries.items():
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        pages[name] = response.content.decode()
    assert 'id="found-members"' in pages["member"] and "<mark>Девятых</mark>" in pages["member"]
    assert 'id="found-meetings"' in pages["sky"] and 'id="found-resolutions"' in pages["sky"]
    return pages


def test_every_search_page_is_valid_html(nu_report):
    for name in ("empty", "member", "sky", "none"):
        assert nu_report[name].errors == [], (name, nu_report[name].errors)
