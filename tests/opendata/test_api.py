"""The API as a library's web editor uses it: what it answers, what it never shows, how it
pages, caches, revalidates, shares across sites and limits a client."""

import json

import pytest
from django.core.cache import cache

from resolutions.models import Resolution
from tests.helpers import make_archive, make_member, make_organization, make_report

from .conftest import DRAFT_TEXT, SECRET_EMAIL, SECRET_PHONE, open_data_set

LISTS = [
    "/api/meetings/",
    "/api/resolutions/",
    "/api/members/",
    "/api/organizations/",
    "/api/municipalities/",
    "/api/statistics/indicators/",
    "/api/statistics/figures/",
    "/api/statistics/totals/",
]


@pytest.fixture
def data(db):
    return open_data_set()


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.content[:300])
    return response.json()


def test_nothing_private_or_draft_in_any_answer(client, data):
    urls = [
        *LISTS,
        f"/api/meetings/{data['meeting'].slug}",
        *(
            f"/api/resolutions/{pk}"
            for pk in Resolution.objects.published().values_list("pk", flat=True)
        ),
    ]
    for url in urls:
        body = client.get(url, {"limit": 500} if url in LISTS else {}).content.decode()
        for secret in (
            SECRET_EMAIL,
            SECRET_PHONE,
            DRAFT_TEXT,
            "Черновикова",
            "777777",
            "email",
            "phone",
        ):
            assert secret not in body, (url, secret)
    # The schema has no field for a contact: no answer of any operation can carry one.
    schema = json.dumps(get_json(client, "/api/openapi.json")["components"])
    assert '"email"' not in schema and '"phone"' not in schema
    # The draft meeting is not there at all, by its address either.
    assert get_json(client, f"/api/meetings/{data['draft'].slug}", 404) == {
        "detail": "По этому адресу нет опубликованного заседания."
    }
    draft_item = Resolution.objects.filter(meeting=data["draft"]).first()
    assert get_json(client, f"/api/resolutions/{draft_item.pk}", 404)["detail"]


def test_a_meeting_with_its_agenda_and_decisions(client, data):
    body = get_json(client, f"/api/meetings/{data['meeting'].slug}")
    assert body["date"] == "2024-05-20"
    assert body["venue"]["short_name"] == "ЦБС Открытая"
    assert [a["title"] for a in body["agenda"]] == ["О работе летом"]
    texts = [r["text"] for r in body["resolutions"]]
    assert texts == ["Провести акцию под открытым небом", "Принять в члены Клуба"]
    admission = body["resolutions"][1]
    assert admission["kind_label"] == "приём в Клуб"
    assert [m["full_name"] for m in admission["admitted_members"]] == ["Принятая Мария Петровна"]
    assert body["minutes_pdf"].endswith(f"/meetings/{data['meeting'].slug}/minutes.pdf")
    listed = get_json(client, "/api/meetings/")
    assert [m["slug"] for m in listed["items"]] == [data["meeting"].slug]


def test_resolutions_filters(client, data):
    org = data["org"]

    def texts(**query):
        return [
            r["text"]
            for r in get_json(
                client, "/api/resolutions/?" + "&".join(f"{k}={v}" for k, v in query.items())
            )["items"]
        ]

    assert texts(kind="admission") == ["Принять в члены Клуба"]
    assert texts(status="done") == []
    assert texts(year=2024) == ["Провести акцию под открытым небом", "Принять в члены Клуба"]
    assert texts(year=2023) == []
    assert texts(organization=org.pk) == [
        "Провести акцию под открытым небом",
        "Принять в члены Клуба",
    ]
    assert texts(organization=999_999) == []
    # Words in another form than the stored text, as /resolutions/?q= finds them.
    assert texts(q="акции открытое небо") == ["Провести акцию под открытым небом"]
    refused = get_json(client, "/api/resolutions/?kind=secret", 422)
    assert refused == {"detail": "Недопустимые параметры запроса: kind."}


def test_members_are_public_ones_with_public_fields(client, data):
    make_member("Безприёма", organization=data["org"])  # neither founder nor admitted
    items = get_json(client, "/api/members/")["items"]
    assert [m["last_name"] for m in items] == ["Основательница", "Принятая"]
    assert set(items[0]) == {
        "id",
        "full_name",
        "last_name",
        "first_name",
        "patronymic",
        "position",
        "organization",
        "status",
        "status_label",
        "is_founder",
        "url",
    }


def test_statistics_only_accepted_reports(client, data):
    figures = get_json(client, "/api/statistics/figures/?year=2024&indicator=VS.EVENTS")["items"]
    assert [(f["month"], f["organization"], f["value"]) for f in figures] == [
        (6, "ЦБС Открытая", 44),
        (7, "ЦБС Открытая", 44),
    ]
    totals = get_json(client, "/api/statistics/totals/?year=2024&month=6&indicator=VS.EVENTS")
    assert totals["items"] == [
        {
            "year": 2024,
            "month": 6,
            "indicator_code": "VS.EVENTS",
            "indicator_name": totals["items"][0]["indicator_name"],
            "unit": "ед.",
            "total": 44,
            "organizations": 1,
        }
    ]
    codes = [i["code"] for i in get_json(client, "/api/statistics/indicators/?limit=500")["items"]]
    assert "VS.EVENTS" in codes


def test_paging_is_capped(client, data):
    page = get_json(client, "/api/resolutions/?limit=1&offset=1")
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (2, 1, 1, 1)
    assert get_json(client, "/api/resolutions/?limit=501", 422)["detail"]
    assert get_json(client, "/api/resolutions/?offset=-1", 422)["detail"]
    assert get_json(client, "/api/resolutions/?offset=99999999999", 422)["detail"]


def test_etag_304_and_the_cache_follow_the_content_version(
    client, data, django_capture_on_commit_callbacks
):
    first = client.get("/api/resolutions/")
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/api/resolutions/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    cached = client.get("/api/resolutions/")
    assert cached["X-Page-Cache"] == "hit"
    assert cached.content == first.content
    # An edit the public sees moves the version: a new ETag, new content.
    item = Resolution.objects.get(text="Провести акцию под открытым небом")
    item.text = "Провести акцию в парке"
    with django_capture_on_commit_callbacks(execute=True):
        item.save()
    fresh = client.get("/api/resolutions/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200
    assert "Провести акцию в парке" in fresh.content.decode()


def test_cors_allows_reading_only(client, data):
    preflight = client.options(
        "/api/resolutions/",
        HTTP_ORIGIN="https://library.example.ru",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    for method in ("post", "put", "delete"):
        refused = getattr(client, method)("/api/resolutions/")
        assert refused.status_code == 405
        assert refused.json()["detail"] == "API только для чтения: принимаются лишь запросы GET."
    assert client.head("/api/resolutions/").status_code == 200


def test_rate_limit_per_client(client, data, settings):
    settings.OPENDATA_RATE_LIMIT = (3, 60)
    for _ in range(3):
        assert client.get("/api/municipalities/").status_code == 200
    refused = client.get("/api/municipalities/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused.json()["detail"].startswith("Слишком много запросов")
    # Another address has its own allowance.
    assert client.get("/api/municipalities/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_unknown_address_is_a_json_404(client, db):
    assert get_json(client, "/api/nothing/here", 404)["detail"]


def test_docs_page_is_served_from_the_package(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui-init.js" in html
    assert "cdn" not in html and "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    schema = get_json(client, "/api/openapi.json")
    assert schema["openapi"].startswith("3.")
    assert "/api/resolutions/" in schema["paths"]


def _grow(size):
    make_archive(size, resolutions_each=3)
    for n in range(size):
        org = make_organization(f"ЦБС размера {size}-{n}")
        make_member(organization=org, is_founder=True)
        make_report(org, 2023, 6, {"VS.EVENTS": n + 1}, status="accepted")


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # content version; count; page (+ a prefetch each of related rows)
        ("/api/meetings/", 3),
        ("/api/resolutions/", 5),
        ("/api/members/", 3),
        ("/api/organizations/", 3),
        ("/api/municipalities/", 3),
        ("/api/statistics/indicators/", 3),
        ("/api/statistics/figures/", 3),
        ("/api/statistics/totals/", 3),
    ],
)
def test_query_counts_do_not_grow(client, db, django_assert_num_queries, size, url, queries):
    _grow(size)
    cache.clear()
    with django_assert_num_queries(queries):
        response = client.get(url, {"limit": 500})
    assert response.status_code == 200
    # Statistics lists grow in rows of one indicator, one month: their count stays at one.
    assert json.loads(response.content)["count"] >= (
        1 if "indicators" in url or "totals" in url else size
    )


@pytest.mark.parametrize("url", ["/api/meetings/%00", "/api/meetings/2021-06-23%00x"])
def test_a_nul_in_the_address_is_refused_with_a_message(client, data, url):
    """The API's text path parameters would take a NUL to the database (a 500 on
    PostgreSQL): the portal refuses it at the door, as it does in a query."""
    response = client.get(url)
    assert response.status_code == 400
    assert response.content.decode() == "Данные содержат запрещённый символ: ноль-байт"
