"""«Справка об участии»: the demo member's admission and every meeting she attended in the
PDF (as poppler reads it) and the .docx (as LibreOffice Writer reads it); the register
number each issue records, once per member, day and facts; a member the public does not
know of has none for the public."""

import datetime
import threading

import pytest
from django.db import connection

from chronicle.models import Certificate
from kernel.downloads import DOCX, PDF
from meetings.models import Attendance
from members.models import Member
from resolutions.models import Resolution
from tests.clients import poppler
from tests.clients.fixtures import response_bytes
from tests.helpers import admit, make_meeting, make_member, make_resolution, make_user, pinned_clock

from .conftest import DECISION, GRATITUDE

pytestmark = pytest.mark.django_db

ADMISSION = (
    "Приём в Клуб: 1. Протокол от 23 июня 2021 г. («Ежегодное заседание Клуба деловых встреч "
    "методистов Кузбасса»), п. 3 раздела «Постановили»."
)
MEETINGS = [
    "23 июня 2021 г. — Ежегодное заседание Клуба деловых встреч методистов Кузбасса, тема "
    "«Практика методической работы»",
    "14 апреля 2022 г. — Заседание Клуба деловых встреч методистов Кузбасса, тема "
    "«Методическая работа» (докладчик)",
]


def test_the_certificate_holds_her_admission_and_every_meeting_she_attended(
    client, andreeva, libreoffice
):
    with pinned_clock(2026, 12, 3):
        pdf = client.get(f"/members/{andreeva.pk}/certificate.pdf")
        docx = client.get(f"/members/{andreeva.pk}/certificate.docx")
    assert pdf["Content-Type"] == PDF
    assert docx["Content-Type"] == DOCX
    assert "spravka-2026-1.pdf" in pdf["Content-Disposition"]
    pdf_text = poppler.reading_text(response_bytes(pdf))
    writer = libreoffice.read_document(response_bytes(docx))
    docx_text = poppler.fold(writer.text)
    for text in (pdf_text, docx_text):
        assert "Клуб деловых встреч методистов Кузбасса" in text
        assert "Андреева Елена Александровна" in text
        assert "3 декабря 2026 г." in text
        assert "№ 1/2026" in text
        assert poppler.fold(ADMISSION) in text
        for line in MEETINGS:
            assert poppler.fold(line) in text
        assert "Посещённые заседания Клуба (2):" in text
        assert "О ходе выполнения решений заседания Клуба от 23 июня 2021 г." in text
        assert poppler.fold(GRATITUDE) in text
        assert poppler.fold(DECISION) in text
        assert "Черновик" not in text and "andreeva@example.ru" not in text
    assert writer.headings[0] == (1, "СПРАВКА")
    info = poppler.pdfinfo(response_bytes(pdf))
    assert info.tagged
    assert info.pdfa == ("2", "A")


def test_issuing_records_a_register_number_once_per_member_day_and_facts(client, andreeva):
    secretary = make_user("secretary-register", staff=True)
    with pinned_clock(2026, 12, 3):
        client.get(f"/members/{andreeva.pk}/certificate.pdf")
        client.get(f"/members/{andreeva.pk}/certificate.docx")
        client.get(f"/members/{andreeva.pk}/certificate.pdf")
        (entry,) = Certificate.objects.all()
        assert (entry.register_number, entry.issued_on) == ("1/2026", datetime.date(2026, 12, 3))
        assert entry.member == andreeva
        assert entry.requester == "посетитель сайта"
        # Her record changes: the certificate states other facts, under the next number.
        Attendance.objects.create(meeting=make_meeting(datetime.date(2024, 9, 9)), member=andreeva)
        client.force_login(secretary)
        response = client.get(f"/members/{andreeva.pk}/certificate.pdf")
        assert "spravka-2026-2.pdf" in response["Content-Disposition"]
    with pinned_clock(2026, 12, 4):
        client.get(f"/members/{andreeva.pk}/certificate.pdf")
    with pinned_clock(2027, 1, 10):
        client.force_login(secretary)  # a month on: the session of December has expired
        client.get(f"/members/{andreeva.pk}/certificate.pdf")
    numbers = [(c.register_number, c.issued_by) for c in Certificate.objects.order_by("issued_at")]
    assert numbers == [
        ("1/2026", None),
        ("2/2026", secretary),
        ("3/2026", secretary),
        ("1/2027", secretary),
    ]


def test_the_register_is_a_read_only_list_in_the_admin(client, andreeva, secretary):
    with pinned_clock(2026, 12, 3):
        client.get(f"/members/{andreeva.pk}/certificate.pdf")
    client.force_login(secretary)
    html = client.get("/admin/chronicle/certificate/").content.decode()
    assert "1/2026" in html
    assert "Андреева Елена Александровна" in html
    assert "посетитель сайта" in html
    entry = Certificate.objects.get()
    assert client.get("/admin/chronicle/certificate/add/").status_code == 403
    page = client.get(f"/admin/chronicle/certificate/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="number"' not in page.content.decode()


@pytest.fixture
def newcomer(demo):
    draft = make_meeting(datetime.date(2025, 5, 5), status="draft")
    member = make_member("Новикова")
    admit(make_resolution(draft, 1, kind=Resolution.Kind.ADMISSION), member)
    return member


@pytest.mark.parametrize("suffix", ["pdf", "docx"])
def test_nobody_outside_staff_has_the_certificate_of_a_member_admitted_only_by_a_draft(
    client, newcomer, operator, suffix
):
    url = f"/members/{newcomer.pk}/certificate.{suffix}"
    assert client.get(url).status_code == 404
    client.force_login(operator)
    assert client.get(url).status_code == 404
    assert not Certificate.objects.exists()


def test_staff_who_may_issue_certificates_issue_hers(client, newcomer, secretary, centre_methodist):
    url = f"/members/{newcomer.pk}/certificate.pdf"
    client.force_login(centre_methodist)  # staff, who may only read the register
    assert client.get(url).status_code == 403
    assert not Certificate.objects.exists()
    client.force_login(secretary)
    with pinned_clock(2026, 12, 3):
        response = client.get(url)
    assert response.status_code == 200
    text = poppler.reading_text(response_bytes(response))
    assert "Новикова Мария Петровна" in text
    # Her admission is in draft minutes: not a fact the certificate states.
    assert "Опубликованные протоколы Клуба не содержат записи о приёме." in text
    (entry,) = Certificate.objects.all()
    assert (entry.member, entry.issued_by) == (newcomer, secretary)
    assert (
        response["Cache-Control"].startswith("max-age=0") or "private" in response["Cache-Control"]
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_requests_at_once_take_distinct_numbers(concurrent_db, client):
    from chronicle.certificates import certificate_issue
    from chronicle.record import member_record, record_member

    members = [make_member(f"Одновременная{n}", is_founder=True) for n in range(4)]
    barrier = threading.Barrier(len(members))
    errors = []

    def issue(member):
        try:
            record = member_record(record_member(member.pk, None_user()))
            barrier.wait(timeout=10)
            certificate_issue(record=record, user=None, today=datetime.date(2026, 12, 3))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]
    assert set(Member.objects.filter(certificates__isnull=False)) == set(members)


def None_user():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_a_number_another_request_took_meanwhile_is_not_issued_twice(andreeva, monkeypatch):
    from django.db.models.query import QuerySet

    from chronicle.certificates import certificate_issue
    from chronicle.record import member_record, record_member

    today = datetime.date(2026, 12, 3)
    other = Member.objects.get(last_name="Кентнер")
    Certificate.objects.create(member=other, year=2026, number=1, issued_on=today, facts_hash="x")
    real_aggregate = QuerySet.aggregate
    stale = []

    def aggregate(self, *args, **kwargs):
        if self.model is Certificate and not stale:
            stale.append(True)
            return {"n": None}  # read before the other request's entry was committed
        return real_aggregate(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "aggregate", aggregate)
    record = member_record(record_member(andreeva.pk, None_user()))
    entry = certificate_issue(record=record, user=None, today=today)
    assert stale == [True]
    assert entry.register_number == "2/2026"
    assert Certificate.objects.count() == 2
