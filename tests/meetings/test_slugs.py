"""A meeting's address defaults to its ISO date, never clashes, and is never a page's."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import get_resolver, include, path, resolve, reverse

from meetings.models import Meeting, reserved_slugs
from minutes import urls as minutes_urls
from tests.formscrape import form_data
from tests.helpers import make_meeting

pytestmark = pytest.mark.django_db

DAY = datetime.date(2021, 6, 23)


def test_slug_defaults_to_the_iso_date():
    assert make_meeting(DAY).slug == "2021-06-23"


def test_second_and_third_meetings_on_one_day_get_numbered_slugs():
    make_meeting(DAY)
    assert make_meeting(DAY).slug == "2021-06-23-2"
    assert make_meeting(DAY).slug == "2021-06-23-3"


def test_a_typed_slug_is_kept():
    assert make_meeting(DAY, slug="letnie-chtenia").slug == "letnie-chtenia"


def test_saving_again_keeps_the_slug():
    meeting = make_meeting(DAY)
    meeting.topic = "Другая тема"
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.slug == "2021-06-23"


# --- Addresses of the portal's own pages are not meeting slugs -------------------------------

RESERVED_MESSAGE = "принадлежит странице портала"


def meeting_with_slug(slug):
    return Meeting(slug=slug, title="Заседание Клуба", date=DAY)


def fixed_meeting_addresses():
    """Every address under /meetings/ that the URLconf routes to a page other than a meeting's."""
    _prefix, resolver = get_resolver().namespace_dict["meetings"]
    return [
        str(p.pattern).split("/", 1)[0]
        for p in resolver.url_patterns
        if str(p.pattern) and not str(p.pattern).startswith("<")
    ]


def test_every_fixed_meeting_address_is_reserved():
    addresses = fixed_meeting_addresses()
    assert {"feed", "calendar.ics"} <= set(addresses)
    assert set(addresses) == reserved_slugs()


@pytest.mark.parametrize("slug", sorted(reserved_slugs()))
def test_a_reserved_slug_is_refused_by_the_model(slug):
    with pytest.raises(ValidationError) as refused:
        meeting_with_slug(slug).full_clean()
    assert "slug" in refused.value.message_dict
    if slug == "feed":
        (message,) = refused.value.message_dict["slug"]
        assert message == (
            "Адрес «feed» принадлежит странице портала, и заседание с ним нельзя было бы "
            "открыть. Выберите другой; заняты: calendar.ics, feed."
        )


def test_a_meeting_slug_that_is_a_page_of_the_portal_would_be_unreachable():
    # Why the rule exists: the address of a meeting called «feed» opens the Atom feed.
    assert resolve(reverse("meetings:detail", args=["feed"])).view_name == "meetings:feed"


def test_an_ordinary_slug_is_accepted_and_reaches_its_meeting():
    meeting_with_slug("letnie-chtenia-2021").full_clean()
    match = resolve(reverse("meetings:detail", args=["letnie-chtenia-2021"]))
    assert match.view_name == "meetings:detail"


def test_a_reserved_slug_is_refused_in_the_admin_and_nothing_is_saved(secretary_client):
    url = "/admin/meetings/meeting/add/"
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    data.update(title="Заседание Клуба", date="23.06.2021", slug="feed", status="draft")
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert "Адрес «feed» принадлежит странице портала" in response.content.decode()
    assert not Meeting.objects.exists()


def test_renaming_a_meeting_to_a_reserved_slug_is_refused_in_the_admin(secretary_client):
    meeting = make_meeting(DAY)
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    data["slug"] = "feed"
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert RESERVED_MESSAGE in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.slug == "2021-06-23"


# A URLconf with one more fixed address under /meetings/, as a later page would add.
urlpatterns = [
    path(
        "meetings/",
        include(
            (
                [
                    path("map/", lambda request: None, name="map"),
                    *minutes_urls.meetings_patterns,
                    path("stats/", lambda request: None, name="yearly"),
                ],
                "meetings",
            ),
            namespace="meetings",
        ),
    ),
]


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("slug", ["map", "stats"])
def test_a_fixed_address_added_to_the_urlconf_is_reserved_without_a_list_to_update(slug):
    assert slug in reserved_slugs()
    with pytest.raises(ValidationError):
        meeting_with_slug(slug).full_clean()
