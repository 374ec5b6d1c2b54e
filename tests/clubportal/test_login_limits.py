"""Failed logins are limited per user name and address, with a clear Russian message."""

import runpy
from pathlib import Path

import pytest

from tests.helpers import make_user

pytestmark = pytest.mark.django_db


def attempt(client, password, username="secretary-x", address="10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_block_that_user_from_that_address(client, settings):
    make_user("secretary-x", staff=True, password="right-password-1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200
    blocked = attempt(client, "wrong")
    assert blocked.status_code == 429
    assert "Слишком много неудачных попыток входа" in blocked.content.decode()
    # Even the right password waits out the pause from that address...
    assert attempt(client, "right-password-1").status_code == 429
    # ...while the same user from another address, and other users, still get in.
    assert attempt(client, "right-password-1", address="10.0.0.2").status_code == 302
    make_user("other-x", staff=True, password="right-password-2")
    assert attempt(client, "right-password-2", username="other-x").status_code == 302


def test_a_successful_login_resets_the_count(client, settings):
    make_user("secretary-x", staff=True, password="right-password-1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, "right-password-1").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200


# Behind the proxy every request comes from the proxy's address; the client's is in the header.
PROXY = "127.0.0.1"
SETTINGS_FILE = str(Path(__file__).resolve().parents[2] / "clubportal" / "settings.py")


def start_portal_settings(settings, monkeypatch, **env):
    """Apply the client-address settings the portal starts with in this environment."""
    monkeypatch.delenv("DJANGO_PROXY_COUNT", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    started = runpy.run_path(SETTINGS_FILE)
    for name in ("AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_META_PRECEDENCE_ORDER", "IPWARE_STRICT"):
        setattr(settings, name, started[name])


def via_proxy(client, password, forwarded_for, username="secretary-x"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_the_proxy_failures_from_one_address_do_not_lock_out_another(
    client, settings, monkeypatch
):
    start_portal_settings(settings, monkeypatch, DJANGO_PROXY_COUNT="1")
    make_user("secretary-x", staff=True, password="right-password-1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert via_proxy(client, "wrong", "198.51.100.7").status_code == 200
    assert via_proxy(client, "wrong", "198.51.100.7").status_code == 429
    # The secretary, from her own address through the same proxy, still gets in.
    assert via_proxy(client, "right-password-1", "203.0.113.20").status_code == 302


def test_behind_a_proxy_on_a_public_address_the_library_network_is_told_apart(
    client, settings, monkeypatch
):
    start_portal_settings(settings, monkeypatch, DJANGO_PROXY_COUNT="1")
    make_user("secretary-x", staff=True, password="right-password-1")
    proxy = {"REMOTE_ADDR": "95.167.10.1"}  # nginx on another machine, reached by its public IP
    credentials = {"username": "secretary-x", "next": "/admin/"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/admin/login/?next=/admin/",
            credentials | {"password": "wrong"},
            HTTP_X_FORWARDED_FOR="192.168.1.20",
            **proxy,
        )
    assert response.status_code == 429
    # A colleague in the same library, at the next desk.
    right = client.post(
        "/admin/login/?next=/admin/",
        credentials | {"password": "right-password-1"},
        HTTP_X_FORWARDED_FOR="192.168.1.21",
        **proxy,
    )
    assert right.status_code == 302


def test_behind_the_proxy_a_forged_header_does_not_rotate_the_address(
    client, settings, monkeypatch
):
    start_portal_settings(settings, monkeypatch, DJANGO_PROXY_COUNT="1")
    make_user("secretary-x", staff=True, password="right-password-1")
    # The proxy appends the address it saw to whatever the client sent.
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = via_proxy(client, "wrong", f"192.0.2.{n}, 198.51.100.7")
    assert response.status_code == 429
    assert via_proxy(client, "right-password-1", "192.0.2.99, 198.51.100.7").status_code == 429
    assert via_proxy(client, "right-password-1", "203.0.113.20").status_code == 302


def test_without_a_proxy_the_connection_counts_and_the_header_is_ignored(
    client, settings, monkeypatch
):
    start_portal_settings(settings, monkeypatch)
    make_user("secretary-x", staff=True, password="right-password-1")
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "secretary-x", "password": "wrong", "next": "/admin/"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert response.status_code == 429
    forged = client.post(
        "/admin/login/?next=/admin/",
        {"username": "secretary-x", "password": "right-password-1", "next": "/admin/"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert forged.status_code == 429
    assert attempt(client, "right-password-1", address="10.0.0.2").status_code == 302
