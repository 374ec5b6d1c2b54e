"""A forgotten password is reset by a Russian letter, and offered only where mail goes out."""

import html
import re
import runpy
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from tests.helpers import make_user

pytestmark = pytest.mark.django_db

SETTINGS_FILE = str(Path(__file__).resolve().parents[2] / "clubportal" / "settings.py")
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def page_text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def started_settings(monkeypatch, **env) -> dict:
    """The settings the portal starts with in this environment (only these variables set)."""
    for name in (
        "DJANGO_DEBUG",
        "DJANGO_EMAIL_HOST",
        "DJANGO_EMAIL_PORT",
        "DJANGO_EMAIL_HOST_USER",
        "DJANGO_EMAIL_HOST_PASSWORD",
        "DJANGO_EMAIL_USE_TLS",
        "DJANGO_EMAIL_USE_SSL",
        "DJANGO_DEFAULT_FROM_EMAIL",
        "DJANGO_SERVER_EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


def test_a_forgotten_password_is_reset_through_the_letter(client):
    user = make_user("secretary-m", staff=True, password="old-password-1")
    user.email = "secretary@library.example.ru"
    user.save()
    login_page = client.get("/accounts/login/")
    assert "Забыли пароль?" in page_text(login_page)
    assert 'href="/accounts/password_reset/"' in login_page.content.decode()

    form = client.get("/accounts/password_reset/")
    assert "Восстановление пароля" in page_text(form)
    sent = client.post(
        "/accounts/password_reset/", {"email": "secretary@library.example.ru"}, follow=True
    )
    assert "Письмо отправлено" in page_text(sent)

    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["secretary@library.example.ru"]
    assert letter.subject == "Восстановление пароля: Клуб деловых встреч методистов Кузбасса"
    assert "Здравствуйте!" in letter.body
    assert "учётной записи «secretary-m» на сайте testserver" in letter.body
    assert "Ссылка сработает один раз и действует 3 дня." in letter.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", letter.body).group(1)

    new_password = client.get(link, follow=True)
    assert "Введите новый пароль дважды." in page_text(new_password)
    set_url = new_password.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "kuzbass-new-pass-2025", "new_password2": "kuzbass-new-pass-2025"},
        follow=True,
    )
    assert "Новый пароль установлен." in page_text(done)

    # The link is spent; the new password opens the portal, the old one no longer does.
    assert "Ссылка больше не действует" in page_text(client.get(link, follow=True))
    old = {"username": "secretary-m", "password": "old-password-1"}
    assert client.post("/accounts/login/", old).status_code == 200
    new = {"username": "secretary-m", "password": "kuzbass-new-pass-2025"}
    assert client.post("/accounts/login/", new).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_letter(client):
    user = make_user("secretary-m", staff=True)
    user.email = "secretary@library.example.ru"
    user.save()
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.ru"}, follow=True)
    assert "Письмо отправлено" in page_text(response)
    assert mail.outbox == []


def test_without_a_mail_server_in_production_the_reset_is_not_offered(client, settings):
    settings.EMAIL_BACKEND, settings.EMAIL_HOST = SMTP, ""
    assert "Забыли пароль?" not in page_text(client.get("/accounts/login/"))
    assert client.get("/accounts/password_reset/").status_code == 404
    assert client.post("/accounts/password_reset/", {"email": "a@example.ru"}).status_code == 404
    assert mail.outbox == []


def test_mail_settings_come_from_the_environment(monkeypatch):
    started = started_settings(
        monkeypatch,
        DJANGO_EMAIL_HOST="smtp.library.example.ru",
        DJANGO_EMAIL_HOST_USER="portal@library.example.ru",
        DJANGO_EMAIL_HOST_PASSWORD="from-the-environment",
    )
    assert started["EMAIL_HOST"] == "smtp.library.example.ru"
    assert (started["EMAIL_PORT"], started["EMAIL_USE_TLS"], started["EMAIL_USE_SSL"]) == (
        587,
        True,
        False,
    )
    assert started["EMAIL_HOST_PASSWORD"] == "from-the-environment"
    assert started["DEFAULT_FROM_EMAIL"] == started["SERVER_EMAIL"] == "portal@library.example.ru"
    assert "EMAIL_BACKEND" not in started  # Django's SMTP backend

    ssl = started_settings(monkeypatch, DJANGO_EMAIL_HOST="smtp.x.ru", DJANGO_EMAIL_USE_SSL="1")
    assert (ssl["EMAIL_PORT"], ssl["EMAIL_USE_TLS"], ssl["EMAIL_USE_SSL"]) == (465, False, True)
    sender = started_settings(
        monkeypatch,
        DJANGO_EMAIL_HOST="smtp.x.ru",
        DJANGO_DEFAULT_FROM_EMAIL="Клуб методистов <club@library.example.ru>",
        DJANGO_SERVER_EMAIL="errors@library.example.ru",
    )
    assert sender["DEFAULT_FROM_EMAIL"] == "Клуб методистов <club@library.example.ru>"
    assert sender["SERVER_EMAIL"] == "errors@library.example.ru"


def test_with_debug_on_and_no_server_letters_go_to_the_console(monkeypatch):
    started = started_settings(monkeypatch, DJANGO_DEBUG="1")
    assert started["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_tls_and_ssl_at_once_refuse_to_start(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="exclude each other"):
        started_settings(
            monkeypatch,
            DJANGO_EMAIL_HOST="smtp.x.ru",
            DJANGO_EMAIL_USE_SSL="1",
            DJANGO_EMAIL_USE_TLS="1",
        )
