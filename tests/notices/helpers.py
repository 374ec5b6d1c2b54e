"""What the notices' tests share: subscribing as a visitor does, and reading the letters."""

import html
import re

from django.core import mail

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CONFIRM_LINK = re.compile(r"http://127\.0\.0\.1:8000(/subscribe/confirm/[^/\s]+/)")
UNSUBSCRIBE_LINK = re.compile(r"http://127\.0\.0\.1:8000(/unsubscribe/[^/\s]+/)")


def page_text(response) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text).strip()


def letters_to(address: str):
    return [m for m in mail.outbox if m.to == [address.lower()]]


def request_subscription(client, email, *, minutes=True, organizations=(), **extra):
    data = {"email": email, "organizations": [o.pk for o in organizations]}
    if minutes:
        data["minutes"] = "on"
    return client.post("/subscribe/", data, **extra)


def confirm_link(letter) -> str:
    return CONFIRM_LINK.search(letter.body).group(1)


def subscribe(client, email, **kwargs):
    """Subscribe and follow the letter's link, as a visitor does; the letters are then cleared."""
    response = request_subscription(client, email, **kwargs)
    assert response.status_code == 302, page_text(response)
    (letter,) = letters_to(email)
    assert client.post(confirm_link(letter)).status_code == 200
    mail.outbox.clear()
