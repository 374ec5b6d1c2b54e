"""The admin of the notices: the one place addresses are shown, and to whom."""

import datetime

import pytest

from kernel import roles
from notices.models import DecisionContact, Subscription
from tests.formscrape import form_data
from tests.helpers import make_meeting, make_resolution, make_user

pytestmark = pytest.mark.django_db


def test_the_secretary_enters_the_responsible_persons_address(client):
    decision = make_resolution(
        make_meeting(), 1, text="Провести конкурс.", due_date=datetime.date(2026, 6, 1)
    )
    client.force_login(make_user("secretary-n", group=roles.SECRETARY))
    address = "/admin/notices/decisioncontact/add/"
    data = form_data(client.get(address).content.decode(), "decisioncontact_form")
    data.update({"resolution": str(decision.pk), "email": "ivanova@example.ru"})
    response = client.post(address, data, follow=True)
    assert response.status_code == 200
    assert DecisionContact.objects.get().resolution == decision
    bad = dict(data, email="не адрес")
    response = client.post(address, bad)
    assert "Введите правильный адрес электронной почты." in response.content.decode()


def test_subscriptions_are_corrected_or_deleted_never_added(client):
    Subscription.objects.create(email="m@example.ru", minutes=True)
    client.force_login(make_user("secretary-s", group=roles.SECRETARY))
    listing = client.get("/admin/notices/subscription/")
    assert "m@example.ru" in listing.content.decode()
    assert client.get("/admin/notices/subscription/add/").status_code == 403


def test_the_centre_reads_the_sent_log_and_no_subscription(client):
    client.force_login(make_user("centre-s", group=roles.CENTRE_METHODIST))
    assert client.get("/admin/notices/sentnotice/").status_code == 200
    assert client.get("/admin/notices/subscription/").status_code == 403
