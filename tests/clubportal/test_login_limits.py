"""Failed logins are limited per user name and address, with a clear Russian message."""

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
