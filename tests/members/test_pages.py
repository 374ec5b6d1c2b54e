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


def test_member_page_shows_organisation_admission_and_meetings(client, demo):
    from meetings.models import Attendance

    member = Member.objects.get(last_name="Андреева")
    Attendance.objects.create(meeting=demo, member=member)
    html = client.get(f"/members/{member.pk}/").content.decode()
    assert "Централизованная библиотечная система Киселевского городского округа" in html
    assert "протокол от 23 июня 2021 г., п. 3" in html
    assert 'href="/meetings/2021-06-23/"' in html


@pytest.mark.parametrize("size", [5, 200])
def test_members_query_count_does_not_grow(client, django_assert_num_queries, size):
    make_archive(size)
    # content version, members with organisation, municipality and admission
    with django_assert_num_queries(2):
        client.get("/members/")


@pytest.mark.parametrize("size", [5, 200])
def test_member_page_query_count_does_not_grow(client, django_assert_num_queries, size):
    make_archive(size)
    member = Member.objects.filter(attendances__isnull=False).first()
    # content version, the member (organisation, admission), the meetings she attended
    with django_assert_num_queries(3):
        response = client.get(f"/members/{member.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/meetings/arch-') == size
