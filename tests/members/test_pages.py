"""Public members pages: grouped by municipality and organisation, never private contacts."""

import pytest

from members.models import Member
from tests.helpers import make_archive

pytestmark = pytest.mark.django_db


def test_members_grouped_with_their_admission(client, demo):
    member = Member.objects.get(last_name="Кентнер")
    html = client.get("/members/").content.decode()
    assert "Полысаевский городской округ" in html
    assert (
        "Полысаевская ЦБС" in html or "Централизованная библиотечная система Полысаевского" in html
    )
    assert member.full_name in html
    assert f'href="{member.admission.resolution.get_absolute_url()}"' in html
    assert "23 июня 2021 г." in html


def test_private_contacts_never_appear(client, demo):
    member = Member.objects.get(last_name="Девятых")
    member.email = "devyatyh@example.ru"
    member.phone = "+7 (3843) 55-55-55"
    member.save()
    for url in [
        "/",
        "/members/",
        f"/members/{member.pk}/",
        "/meetings/2021-06-23/",
        "/meetings/2021-06-23/minutes.xlsx",
        "/resolutions/",
        "/resolutions/export.xlsx",
    ]:
        body = client.get(url).content
        assert b"devyatyh@example.ru" not in body, url
        assert b"55-55-55" not in body, url


@pytest.mark.parametrize("size", [5, 200])
def test_members_query_count_does_not_grow(client, django_assert_num_queries, size):
    make_archive(size)
    # content version, members with organisation, municipality and admission
    with django_assert_num_queries(2):
        client.get("/members/")
