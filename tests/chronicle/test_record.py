"""A member's record at /members/<pk>/: what the published minutes say of her, nothing of a
draft, nothing private; 404 for a member the public does not know of; its query count."""

import datetime

import pytest

from chronicle.record import member_record, record_member
from meetings.models import AgendaItem, Attendance
from members.models import Member
from resolutions.models import Resolution
from tests.helpers import admit, make_meeting, make_member, make_resolution, make_user

from .conftest import DECISION, GRATITUDE

pytestmark = pytest.mark.django_db


def test_the_record_shows_admission_meetings_speeches_gratitudes_and_decisions(client, andreeva):
    html = client.get(andreeva.get_absolute_url()).content.decode()
    assert "Централизованная библиотечная система Киселевского городского округа" in html
    assert "протокол от 23 июня 2021 г., п. 3" in html
    assert 'href="/meetings/2021-06-23/"' in html
    assert 'href="/meetings/2022-04-14/"' in html
    assert "14 апреля 2022 г. — Заседание Клуба деловых встреч методистов Кузбасса" in html
    assert "О ходе выполнения решений заседания Клуба от 23 июня 2021 г." in html
    assert GRATITUDE in html
    assert DECISION in html
    assert "выполняется" in html  # the decision's status
    assert "Разное" not in html  # Андреев П. С. spoke on it, not she
    assert "Андреевой Марии Ивановне" not in html
    assert f'href="/members/{andreeva.pk}/certificate.pdf"' in html
    assert f'href="/members/{andreeva.pk}/certificate.docx"' in html


def test_the_record_shows_nothing_of_draft_minutes_nor_her_contacts(client, andreeva):
    html = client.get(andreeva.get_absolute_url()).content.decode()
    assert "Черновик" not in html
    assert "черновую работу" not in html
    assert "andreeva@example.ru" not in html
    assert "900 000" not in html


def test_the_record_in_order_of_the_meetings(andreeva):
    record = member_record(record_member(andreeva.pk, _anonymous()))
    assert [a.meeting.date for a in record.attended] == [
        datetime.date(2021, 6, 23),
        datetime.date(2022, 4, 14),
    ]
    assert record.admission.kind == Resolution.Kind.ADMISSION
    assert [i.order for i in record.spoke] == [1]
    assert [r.text for r in record.gratitudes] == [GRATITUDE]
    assert [r.text for r in record.decisions] == [DECISION]


def test_a_name_with_other_initials_or_a_surname_alone_is_not_hers(demo):
    member = make_member("Смирнова", first_name="Ольга", patronymic="Викторовна", is_founder=True)
    meeting = make_meeting(datetime.date(2023, 5, 5))
    for order, speakers in enumerate(
        ["Смирнова О. П.", "Смирнова", "Смирнова Ольга Викторовна", "О. В. Смирнова"], start=1
    ):
        AgendaItem.objects.create(
            meeting=meeting, order=order, title=f"Вопрос {order}", speakers=speakers
        )
    record = member_record(record_member(member.pk, _anonymous()))
    assert [i.order for i in record.spoke] == [3, 4]


def test_a_member_admitted_only_by_a_draft_is_404_to_the_public_and_shown_to_staff(client, demo):
    draft = make_meeting(datetime.date(2025, 5, 5), status="draft")
    newcomer = make_member("Новикова")
    admit(make_resolution(draft, 1, kind=Resolution.Kind.ADMISSION), newcomer)
    Attendance.objects.create(meeting=draft, member=newcomer)
    assert client.get(newcomer.get_absolute_url()).status_code == 404
    client.force_login(make_user("operator-record", staff=False))
    assert client.get(newcomer.get_absolute_url()).status_code == 404
    client.force_login(make_user("staff-record", staff=True))
    html = client.get(newcomer.get_absolute_url()).content.decode()
    # Staff see her page, yet only what published minutes say: no admission, no meeting.
    assert "Новикова" in html
    assert "5 мая 2025 г." not in html


def test_an_unknown_member_is_404(client, demo):
    assert client.get("/members/999999/").status_code == 404


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _record_archive(size: int):
    """A founder who attends `size` meetings, speaks at each, is thanked and answers for a
    decision in each."""
    member = make_member("Смирнова", first_name="Мария", patronymic="Петровна", is_founder=True)
    for n in range(size):
        meeting = make_meeting(datetime.date(2000 + n, 3, 1), slug=f"rec-{n}")
        Attendance.objects.create(meeting=meeting, member=member)
        AgendaItem.objects.create(
            meeting=meeting, order=1, title=f"Доклад {n}", speakers="Смирнова М. П."
        )
        make_resolution(
            meeting,
            1,
            kind=Resolution.Kind.GRATITUDE,
            text="Выразить благодарность Смирновой Марии Петровне за доклад.",
        )
        make_resolution(
            meeting,
            1,
            section=Resolution.Section.DECISIONS,
            text=f"Решение {n}: продолжить работу.",
            responsible_person="Смирнова М. П.",
        )
    return member


@pytest.mark.parametrize("size", [3, 30])
def test_record_query_count_does_not_grow(client, django_assert_num_queries, size):
    member = _record_archive(size)
    # content version, the member (organisation, admission), the meetings she attended,
    # the agenda items and the resolutions that may name her, the decisions' organisations
    with django_assert_num_queries(6):
        response = client.get(member.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('href="/meetings/rec-') == 2 * size  # attended and spoke
    assert html.count("Смирновой Марии Петровне за доклад") == size
    assert html.count(": продолжить работу.") == size


def test_the_sitemap_lists_the_record_of_every_public_member_only(client, demo):
    draft = make_meeting(datetime.date(2025, 5, 5), status="draft")
    newcomer = make_member("Новикова")
    admit(make_resolution(draft, 1, kind=Resolution.Kind.ADMISSION), newcomer)
    body = client.get("/sitemap.xml").content.decode()
    for member in Member.objects.public():
        assert f"<loc>http://testserver/members/{member.pk}/</loc>" in body
    assert Member.objects.public().count() == 4
    assert f"/members/{newcomer.pk}/" not in body
    assert "<loc>http://testserver/members/</loc>" in body
