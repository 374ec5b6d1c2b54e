"""Every URL pattern, walked with hostile values in its parameters as every role: never a 500.

The patterns come from the URLconf (tests/urlwalk.py), the admin's included, so a new page
is walked without being listed. Each is first requested with valid arguments (records of
the demo data) while the query parameters the view reads are recorded; then every path
parameter gets each hostile value in turn, and so does every such query parameter (one at
a time, or all of a page's at once: see the walk's test). The admin's lists read their
filters from the whole query string: their filters' parameters, the date hierarchy's and
the list's own are added. An add page takes its fields' initial values from the query
string: those are sent all at once, one request per hostile value.
"""

from __future__ import annotations

import traceback
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.admin.views import main
from django.core.cache import CacheKeyWarning
from django.core.signals import got_request_exception
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.test.client import ClientHandler

from .urlwalk import ROLES, Route, make_world, routes, unwalkable, valid_arguments

pytestmark = pytest.mark.django_db

BAD_UTF8 = object()  # %ff%fe: bytes that are no UTF-8, sent as they are
HOSTILE = {
    "empty": "",
    "minus one": "-1",
    "zero": "0",
    "10^23": "1" + "0" * 23,
    "NUL": "\x00",
    "bad UTF-8": BAD_UTF8,
    "5,000 characters": "9" * 5000,
    "far date": "9999-12-31",
}
PROBE = "walk-probe"
PORTAL_APPS = ("members", "meetings", "resolutions", "stats", "chronicle", "clubportal")
# What an admin list reads besides its filters (django.contrib.admin.views.main).
CHANGELIST_PARAMS = (
    main.ALL_VAR,
    main.ORDER_VAR,
    main.PAGE_VAR,
    main.SEARCH_VAR,
    main.IS_POPUP_VAR,
    main.TO_FIELD_VAR,
    main.IS_FACETS_VAR,
    main.ERROR_FLAG,
)


def encoded(value) -> str:
    return "%ff%fe" if value is BAD_UTF8 else quote(value, safe="")


@contextmanager
def recorded_reads():
    """The names of the query parameters read while the block runs."""
    names: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__")}
    contains = QueryDict.__contains__

    def recording(original):
        def read(self, key, *args, **kwargs):
            names.add(key)
            return original(self, key, *args, **kwargs)

        return read

    try:
        for name, original in originals.items():
            setattr(QueryDict, name, recording(original))
        QueryDict.__contains__ = recording(contains)
        yield names
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)
        QueryDict.__contains__ = contains


def admin_query_params(route: Route, user) -> list[str]:
    """What an admin list reads from the whole query string besides what was recorded."""
    model_admin = route.model_admin
    if model_admin is None:
        return []
    request = RequestFactory().get("/")
    request.user = user
    if route.name.endswith("_changelist"):
        changelist = model_admin.get_changelist_instance(request)
        names = [p for spec in changelist.filter_specs for p in spec.expected_parameters()]
        if model_admin.date_hierarchy:
            field = model_admin.date_hierarchy
            names += [f"{field}__year", f"{field}__month", f"{field}__day"]
        return [*names, *CHANGELIST_PARAMS]
    return []


def add_page_fields(route: Route, user) -> list[str]:
    model_admin = route.model_admin
    if model_admin is None or not route.name.endswith("_add"):
        return []
    request = RequestFactory().get("/")
    request.user = user
    return list(model_admin.get_form(request).base_fields)


class Walk:
    """Requests as one role; every answer of 500 (or an exception) is remembered.

    Requests go straight to Django's test handler, without the test client: it copies the
    context of every template rendered, which costs a fifth of a rendered admin page here.
    """

    def __init__(self, user):
        self.user = user
        self.handler = ClientHandler(enforce_csrf_checks=False)
        self.factory = RequestFactory()
        self.cookie = ""
        self.login()
        self.failures: list[str] = []
        self.count = 0

    def login(self):
        self.cookie = ""
        if self.user is not None:
            client = Client()
            client.force_login(self.user)
            self.cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    def request(self, method: str, path: str, query: str = ""):
        url = f"{path}?{query}" if query else path
        self.count += 1
        raised = []

        def remember(sender, request=None, **kwargs):
            raised.append(traceback.format_exc(limit=-4))

        got_request_exception.connect(remember)
        try:
            headers = {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={self.cookie}"}
            environ = self.factory.generic(method.upper(), url, **headers).environ
            response = self.handler(environ)
            if response.streaming:
                b"".join(response.streaming_content)
        except Exception:
            raised.append(traceback.format_exc(limit=-4))
            response = None
        finally:
            got_request_exception.disconnect(remember)
        if raised or response is None or response.status_code >= 500:
            status = response.status_code if response is not None else "no answer"
            self.failures.append(f"{method.upper()} {url[:300]}: {status}\n{''.join(raised)}")
        session = response.cookies.get(settings.SESSION_COOKIE_NAME) if response else None
        if session is not None:
            self.cookie = session.value
            if not session.value and self.user is not None:
                self.login()  # the walk logged out
        return response


@dataclass
class Baseline:
    """How a route answers a valid request: the method it takes, what it read, a page or not."""

    method: str
    reads: set[str]
    page: bool


def baseline(walk: Walk, path: str) -> Baseline:
    method = "get"
    with recorded_reads() as reads:
        # A query string binds the forms that read one only when there is one.
        response = walk.request(method, path, f"{PROBE}=1")
    if response is not None and response.status_code == 405 and "POST" in response.get("Allow", ""):
        method = "post"
        with recorded_reads() as reads:
            response = walk.request(method, path, f"{PROBE}=1")
    if response is not None and not 200 <= response.status_code < 300:
        response = walk.request(method, path)  # an admin list refuses the unknown parameter
    page = response is not None and 200 <= response.status_code < 300
    return Baseline(method=method, reads=reads - {PROBE}, page=page)


def valid_path(route: Route, arguments: dict[str, str]) -> str:
    return route.path({k: quote(v, safe="") for k, v in arguments.items()})


def walk_route(
    walk: Walk, route: Route, arguments: dict[str, str], superuser, *, one_at_a_time: bool
) -> Baseline:
    """Every hostile value in every path parameter and every query parameter the view reads.

    Query parameters get each value one at a time, or (one_at_a_time=False) all of them at
    once, one request per value.
    """
    path = valid_path(route, arguments)
    base = baseline(walk, path)
    method = base.method
    for param in route.params:
        for value in HOSTILE.values():
            values = {k: quote(v, safe="") for k, v in arguments.items()}
            values[param] = encoded(value)
            walk.request(method, route.path(values))
    names = sorted(base.reads | set(admin_query_params(route, superuser)))
    for value in HOSTILE.values():
        if one_at_a_time:
            for name in names:
                walk.request(method, path, f"{quote(name)}={encoded(value)}")
        elif names:
            walk.request(method, path, "&".join(f"{quote(n)}={encoded(value)}" for n in names))
    # An add page takes every field's initial value from the query string: all at once.
    fields = add_page_fields(route, superuser)
    for value in HOSTILE.values() if fields else ():
        walk.request(method, path, "&".join(f"{quote(f)}={encoded(value)}" for f in fields))
    return base


def library_admin_page(route: Route) -> bool:
    model_admin = route.model_admin
    return model_admin is not None and model_admin.model._meta.app_label not in PORTAL_APPS


# The superuser first: the pages she saw need not be asked for again by the other roles.
WALK_ORDER = ("superuser", *(role for role in ROLES if role != "superuser"))
_SUPERUSER_PAGES: set[str] = set()


def superuser_pages(world) -> set[str]:
    """The routes whose valid request shows the superuser a page (the same for every world)."""
    if not _SUPERUSER_PAGES:
        walk = Walk(world.users["superuser"])
        for route in routes():
            arguments = valid_arguments(route, world)
            if arguments is not None and baseline(walk, valid_path(route, arguments)).page:
                _SUPERUSER_PAGES.add(route.name)
        assert walk.failures == [], "\n".join(walk.failures)
    return _SUPERUSER_PAGES


@pytest.fixture
def world(demo):
    return make_world(demo)


def test_every_url_pattern_has_valid_arguments_to_walk_with(world):
    assert unwalkable(world) == []


# The admin's date filters parse «9999-12-31» as a naive time: Django warns, and answers.
@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning")
# A cache key memcached would refuse is a server error waiting for another cache backend.
@pytest.mark.filterwarnings("error::django.core.cache.CacheKeyWarning")
@pytest.mark.parametrize("role", WALK_ORDER)
def test_no_url_answers_500_to_hostile_values_for_any_role(world, role):
    """Each role gets every hostile value in every parameter of every page.

    One query parameter at a time is the superuser's walk: she sees every page but an
    operator's own, which the operator walks so. The other roles send each hostile value
    in all the parameters of a page at once: the same views, seen with their permissions,
    at a fifth of the cost; so do the admin pages of the libraries' models (users, login
    attempts, the task queue), which are Django's own admin views, walked one parameter
    at a time on the portal's models.
    """
    superuser = world.users["superuser"]
    walked = set() if role == "superuser" else superuser_pages(world)
    walk = Walk(world.users[role])
    pages = 0
    for route in routes():
        arguments = valid_arguments(route, world)
        if arguments is None:
            continue  # reported by the test above
        one_at_a_time = route.name not in walked and not library_admin_page(route)
        base = walk_route(walk, route, arguments, superuser, one_at_a_time=one_at_a_time)
        pages += base.page
        if role == "superuser" and base.page:
            _SUPERUSER_PAGES.add(route.name)
    assert pages >= 10, "the walk reached too few pages: are the role's records in place?"
    assert walk.count > 1000  # every route, every parameter, every value
    assert walk.failures == [], "\n".join(walk.failures)


# --- What the walk found, named ----------------------------------------------------------

FILTER_MESSAGE = (
    "В адресе указан фильтр, которого у этого списка нет, или значение, которое фильтр "
    "принять не может: показан весь список."
)
HUGE = HOSTILE["10^23"]


@pytest.mark.parametrize(
    "path",
    [
        "/stats/export/summary-0.xlsx",
        f"/stats/export/summary-{HUGE}.xlsx",
        "/stats/export/summary-9999.xlsx",
        "/stats/summer/0.xlsx",
        f"/stats/summer/{HUGE}.pdf",
    ],
)
def test_statistics_files_of_a_year_outside_the_range_are_not_found(client, centre_methodist, path):
    client.force_login(centre_methodist)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        f"date__year={HUGE}",
        "date__year=9999",
        "date__year=2021&date__month=13",
        f"venue__municipality__id__exact={HUGE}",
        f"year={HUGE}",
    ],
)
def test_huge_years_and_ids_in_admin_filters_show_the_list_with_a_message(
    secretary_client, demo, query
):
    response = secretary_client.get(f"/admin/meetings/meeting/?{query}", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ошибка базы данных" not in html  # Django's page for a filter it cannot apply
    assert "Выберите заседание для изменения" in html


def test_a_filter_the_list_cannot_apply_brings_the_whole_list_with_a_message(
    secretary_client, demo
):
    for query in (f"date__year={HUGE}", f"e=1&date__year={HUGE}"):
        response = secretary_client.get(f"/admin/meetings/meeting/?{query}", follow=True)
        assert response.status_code == 200
        assert response.redirect_chain == [("/admin/meetings/meeting/", 302)]
        html = response.content.decode()
        assert FILTER_MESSAGE in html
        assert demo.title in html


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/admin/meetings/meeting/{pk}/change/?_to_field=", 200),
        ("/admin/meetings/meeting/{pk}/history/%00/", 400),  # a NUL: refused at the door
        ("/admin/meetings/meeting/{pk}/history/9999-12-31/", 404),
        (f"/admin/meetings/meeting/{HUGE}/history/", 404),
        ("/admin/meetings/meeting/add/?venue=%ff%fe&chair=" + HUGE, 200),
    ],
)
def test_admin_pages_answer_junk_in_their_address_with_a_page_or_404(
    secretary_client, demo, path, status
):
    assert secretary_client.get(path.format(pk=demo.pk)).status_code == status


def test_a_slug_longer_than_any_meetings_is_not_found_before_it_reaches_the_cache(client, db):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert client.get(f"/meetings/{'9' * 5000}/minutes.pdf").status_code == 404
