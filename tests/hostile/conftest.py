"""Every hostile-input test runs with the PDF fetcher watched and the network refused."""

import socket
from types import SimpleNamespace

import pytest

from kernel import roles
from kernel.pdf import LocalOnlyURLFetcher
from meetings.models import Attendance, Meeting
from members.models import OperatorAccount
from resolutions.models import Resolution
from stats import services
from stats.models import FormTemplate
from tests.helpers import (
    make_agenda_item,
    make_meeting,
    make_organization,
    make_resolution,
    make_user,
)


@pytest.fixture(autouse=True)
def outside(monkeypatch):
    """Every URL the PDF fetcher is asked for, and every attempt to open a connection.

    A connection attempt is refused (OSError, as a firewall would) and recorded: the test
    fails at its end even when the renderer swallowed the error.
    """
    seen = SimpleNamespace(urls=[], sockets=[])
    real_fetch = LocalOnlyURLFetcher.fetch

    def fetch(self, url, headers=None):
        seen.urls.append(url)
        return real_fetch(self, url, headers)

    def refuse(address):
        seen.sockets.append(address)
        raise OSError(f"no network in tests: {address!r}")

    monkeypatch.setattr(LocalOnlyURLFetcher, "fetch", fetch)
    monkeypatch.setattr(socket.socket, "connect", lambda sock, address: refuse(address))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda sock, address: refuse(address))
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(address))
    yield seen
    assert seen.sockets == [], "a connection was attempted"


@pytest.fixture
def meeting(db):
    """A published, in-person meeting with one row of every inline and both sections."""
    meeting = make_meeting(
        format=Meeting.Format.OFFLINE,
        number="7",
        address="г. Кемерово, ул. Кирова, 1",
        venue=make_organization("ЦБС для заседания"),
    )
    make_agenda_item(meeting, 1, "Вопрос повестки")
    Attendance.objects.create(meeting=meeting, guest_name="Гостья", role=Attendance.Role.GUEST)
    make_resolution(
        meeting, 1, kind=Resolution.Kind.DECISION, text="Решили", responsible_person="Иванова"
    )
    make_resolution(meeting, 1, section=Resolution.Section.DECISIONS, text="Итог")
    return meeting


@pytest.fixture
def organization(db):
    return make_organization("МИБС г. Тестова")


@pytest.fixture
def report(db):
    organization = make_organization("ЦБС отчётная")
    form = FormTemplate.objects.get(code="VS", version=1)
    period = services.period_for(year=2025, month=6)
    return services.report_get_or_create(organization=organization, form=form, period=period)


@pytest.fixture
def operator(report):
    user = make_user("operator-hostile", group=roles.LIBRARY_OPERATOR, staff=False)
    OperatorAccount.objects.create(user=user, organization=report.organization)
    return user


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client
