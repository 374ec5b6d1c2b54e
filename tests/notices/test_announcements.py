"""Published minutes go to every confirmed subscriber once, from the task queue."""

import datetime

import pytest
from django.core import mail

from meetings.models import Meeting
from meetings.services import meeting_publish, meeting_unpublish
from notices.models import SentNotice, Subscription
from notices.tasks import announce_minutes
from tests.helpers import make_meeting, make_organization, make_resolution
from tests.minutes.test_pdf_background import run_worker

from .helpers import (
    DATABASE_QUEUE,
    IMMEDIATE,
    UNSUBSCRIBE_LINK,
    letters_to,
    page_text,
    request_subscription,
    subscribe,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _letters_at_once(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def draft():
    meeting = make_meeting(
        datetime.date(2026, 6, 23),
        status=Meeting.Status.DRAFT,
        title="Ежегодное заседание Клуба",
        topic="Практика методической работы",
    )
    yurga = make_organization("ЦБС Юргинского округа")
    make_resolution(meeting, 1, text="Выразить благодарность.", kind="gratitude")
    decision = make_resolution(
        meeting,
        1,
        section=2,
        text="Провести конкурс профессионального мастерства.",
        due_date=datetime.date(2026, 12, 1),
    )
    decision.responsible_organizations.add(yurga)
    make_resolution(meeting, 2, section=2, text="Продолжить работу летних читальных залов.")
    return meeting


def publish(meeting, capture):
    with capture(execute=True):
        meeting_publish(meeting=meeting)


def test_publishing_sends_one_letter_to_each_confirmed_subscriber(
    client, draft, django_capture_on_commit_callbacks
):
    subscribe(client, "first@example.ru")
    subscribe(client, "second@example.ru")
    request_subscription(client, "unconfirmed@example.ru")  # never follows the link
    mail.outbox.clear()
    publish(draft, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.ru", "second@example.ru"]
    (letter,) = letters_to("first@example.ru")
    assert letter.subject == "Новый протокол Клуба: заседание 23 июня 2026 г."
    body = letter.body
    assert "Ежегодное заседание Клуба" in body
    assert "Практика методической работы" in body
    assert "23 июня 2026 г." in body
    assert "1. Провести конкурс профессионального мастерства." in body
    assert "Ответственные: ЦБС Юргинского округа" in body
    assert "Срок: 1 декабря 2026 г." in body
    assert "2. Продолжить работу летних читальных залов." in body
    assert "Выразить благодарность" not in body  # a gratitude is no decision
    assert f"http://127.0.0.1:8000/meetings/{draft.slug}/" in body
    assert f"http://127.0.0.1:8000/meetings/{draft.slug}/minutes.pdf" in body
    unsubscribe = UNSUBSCRIBE_LINK.search(body).group(0)
    assert letter.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    ((html, kind),) = letter.alternatives
    assert kind == "text/html"
    assert "Провести конкурс профессионального мастерства." in html
    assert f'href="{unsubscribe}"' in html
    # The link in the letter unsubscribes.
    assert "Вы отписались" in page_text(
        client.post(unsubscribe.removeprefix("http://127.0.0.1:8000"))
    )
    assert list(Subscription.objects.values_list("email", flat=True)) == ["second@example.ru"]
    assert SentNotice.objects.filter(kind=SentNotice.Kind.MINUTES).count() == 2


def test_minutes_published_again_are_not_sent_again(
    client, draft, django_capture_on_commit_callbacks
):
    subscribe(client, "first@example.ru")
    publish(draft, django_capture_on_commit_callbacks)
    publish(draft, django_capture_on_commit_callbacks)  # already published: nothing happens
    with django_capture_on_commit_callbacks(execute=True):
        meeting_unpublish(meeting=draft)
    publish(draft, django_capture_on_commit_callbacks)
    assert len(letters_to("first@example.ru")) == 1


def test_a_subscriber_of_an_organisation_hears_only_of_its_decisions(
    client, draft, django_capture_on_commit_callbacks
):
    yurga = draft.resolutions.get(section=2, number=1).responsible_organizations.get()
    subscribe(client, "yurga@example.ru", minutes=False, organizations=[yurga])
    subscribe(
        client, "taiga@example.ru", minutes=False, organizations=[make_organization("МИБС Тайги")]
    )
    publish(draft, django_capture_on_commit_callbacks)
    assert letters_to("taiga@example.ru") == []
    (letter,) = letters_to("yurga@example.ru")
    assert "Решения, порученные организациям, на которые вы подписаны:" in letter.body
    assert "Провести конкурс профессионального мастерства." in letter.body
    assert "Продолжить работу летних читальных залов." not in letter.body


# The worker commits: a test of its own transactions (as tests/minutes' worker tests).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_letters_go_out_from_the_worker_not_the_request(
    migrated_data, client, draft, settings, django_capture_on_commit_callbacks
):
    subscribe(client, "first@example.ru")
    settings.TASKS = DATABASE_QUEUE
    publish(draft, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    run_worker()
    assert len(letters_to("first@example.ru")) == 1
    run_worker()
    assert len(letters_to("first@example.ru")) == 1


def test_a_mail_server_that_refuses_leaves_no_log_row(
    client, draft, monkeypatch, django_capture_on_commit_callbacks
):
    subscribe(client, "first@example.ru")

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    publish(draft, django_capture_on_commit_callbacks)  # the task fails, as the worker logs
    assert SentNotice.objects.count() == 0
    monkeypatch.undo()
    # Nothing was logged, so the letter is still owed: the task run again sends it.
    announce_minutes.enqueue(draft.pk)
    assert len(letters_to("first@example.ru")) == 1
