"""/subscribe/: double opt-in, one-click unsubscribe, and every way a visitor can get it wrong."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from notices.models import Subscription
from notices.tokens import unsubscribe_token
from tests.helpers import make_organization, pinned_clock
from tests.hostile.common import EMOJI, LONG, NUL, ONERROR, SCRIPT
from tests.minutes.test_pdf_background import run_worker

from .helpers import (
    DATABASE_QUEUE,
    IMMEDIATE,
    UNSUBSCRIBE_LINK,
    confirm_link,
    letters_to,
    page_text,
    request_subscription,
    subscribe,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _letters_at_once(settings):
    settings.TASKS = IMMEDIATE


def test_the_form_asks_for_an_address_and_what_to_follow(client):
    make_organization("ЦБС Юргинского округа")
    response = client.get("/subscribe/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Подписка по электронной почте" in text
    assert "Ваш адрес электронной почты" in text
    assert "Новые протоколы заседаний Клуба, с их решениями" in text
    assert "ЦБС Юргинского округа" in text


@pytest.mark.parametrize("organizations", [3, 30])
def test_the_form_costs_one_query_whatever_the_number_of_organisations(
    client, django_assert_num_queries, organizations
):
    for _n in range(organizations):
        make_organization()
    with django_assert_num_queries(1):
        assert client.get("/subscribe/").status_code == 200


def test_a_subscription_is_stored_only_once_the_link_is_followed(client):
    yurga = make_organization("ЦБС Юргинского округа")
    response = request_subscription(client, "Metodist@Example.ru", organizations=[yurga])
    assert response.status_code == 302
    assert page_text(client.get(response["Location"])).count("Проверьте почту") >= 1
    (letter,) = mail.outbox
    assert letter.to == ["metodist@example.ru"]
    assert letter.subject == "Подтвердите подписку на письма Клуба"
    assert "Чтобы подтвердить подписку, откройте ссылку" in letter.body
    assert Subscription.objects.count() == 0
    link = confirm_link(letter)
    # Opening the link (as a mail program checking it does) shows what it confirms, no more.
    page = client.get(link)
    assert page.status_code == 200
    assert "о новых протоколах заседаний Клуба" in page_text(page)
    assert "о решениях, порученных ЦБС Юргинского округа" in page_text(page)
    assert "metodist@example.ru" not in page.content.decode()
    assert Subscription.objects.count() == 0
    done = client.post(link)
    assert "Подписка подтверждена" in page_text(done)
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.minutes) == ("metodist@example.ru", True)
    assert list(subscription.organizations.all()) == [yurga]
    assert subscription.confirmed_at is not None
    assert "metodist@example.ru" not in done.content.decode()


def test_subscribing_again_replaces_what_the_address_follows(client):
    yurga = make_organization("ЦБС Юргинского округа")
    subscribe(client, "m@example.ru")
    subscribe(client, "M@example.ru", minutes=False, organizations=[yurga])
    subscription = Subscription.objects.get()
    assert subscription.minutes is False
    assert list(subscription.organizations.all()) == [yurga]


@pytest.mark.parametrize("address", ["not-an-address", "m@", "m@example", "a b@example.ru"])
def test_an_address_that_is_not_one_is_refused_and_the_form_keeps_it(client, address):
    response = request_subscription(client, address)
    assert response.status_code == 200
    assert "Это не адрес электронной почты: проверьте, что введено." in page_text(response)
    assert f'value="{address}"' in response.content.decode()
    assert mail.outbox == []
    assert Subscription.objects.count() == 0


def test_choosing_nothing_to_follow_is_refused(client):
    response = request_subscription(client, "m@example.ru", minutes=False)
    assert "Выберите, на что подписаться" in page_text(response)
    assert 'value="m@example.ru"' in response.content.decode()
    assert mail.outbox == []


def test_a_confirmation_link_works_once(client):
    request_subscription(client, "m@example.ru")
    link = confirm_link(mail.outbox[0])
    assert client.post(link).status_code == 200
    again = client.post(link)
    assert again.status_code == 400
    assert "Эта ссылка подтверждения уже использована" in page_text(again)
    assert client.get(link).status_code == 400
    assert Subscription.objects.count() == 1


def test_a_confirmation_link_expires(client, settings):
    settings.NOTICES_CONFIRM_HOURS = 48
    with pinned_clock(2026, 5, 1):
        request_subscription(client, "m@example.ru")
    link = confirm_link(mail.outbox[0])
    with pinned_clock(2026, 5, 3, hour=13):  # 49 hours later
        response = client.post(link)
    assert response.status_code == 400
    assert "Срок действия этой ссылки подтверждения истёк" in page_text(response)
    assert Subscription.objects.count() == 0


@pytest.mark.parametrize("damage", ["cut", "forged", "garbage"])
def test_a_damaged_or_forged_confirmation_link_is_refused(client, damage):
    request_subscription(client, "m@example.ru")
    link = confirm_link(mail.outbox[0])
    token = link.split("/")[-2]
    bad = {
        "cut": token[: len(token) // 2],
        "forged": token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "garbage": "eyJlIjoieEB5LnJ1In0:1abc:xyz",
    }[damage]
    response = client.post(f"/subscribe/confirm/{bad}/")
    assert response.status_code == 400
    assert "Ссылка повреждена или создана не порталом" in page_text(response)
    assert Subscription.objects.count() == 0


def test_a_flood_from_one_client_is_refused(client, settings):
    settings.NOTICES_SUBSCRIBE_PER_CLIENT = 3
    for n in range(3):
        assert request_subscription(client, f"m{n}@example.ru").status_code == 302
    response = request_subscription(client, "m9@example.ru")
    assert response.status_code == 429
    assert "Слишком много запросов на подписку" in page_text(response)
    assert 'value="m9@example.ru"' in response.content.decode()
    assert len(mail.outbox) == 3
    assert letters_to("m9@example.ru") == []
    # Another client is not held back by this one.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert request_subscription(other, "m9@example.ru").status_code == 302


def test_too_many_confirmation_letters_to_one_address_are_refused(settings):
    settings.NOTICES_SUBSCRIBE_PER_ADDRESS = 2
    for n in range(2):
        client = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert request_subscription(client, "victim@example.ru").status_code == 302
    response = request_subscription(Client(REMOTE_ADDR="10.0.0.9"), "Victim@example.ru")
    assert response.status_code == 429
    assert "Письма с подтверждением уже несколько раз отправлены на этот адрес" in page_text(
        response
    )
    assert len(letters_to("victim@example.ru")) == 2


# The worker commits: a test of its own transactions (as tests/minutes' worker tests).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_confirmation_letter_is_sent_by_the_worker_not_the_request(
    migrated_data, client, settings
):
    settings.TASKS = DATABASE_QUEUE
    assert request_subscription(client, "m@example.ru").status_code == 302
    assert mail.outbox == []
    run_worker()
    assert letters_to("m@example.ru")


def confirmed(email="m@example.ru", **fields):
    return Subscription.objects.create(email=email, confirmed_at=timezone.now(), **fields)


def test_unsubscribing_asks_once_then_deletes_the_address(client):
    subscription = confirmed(minutes=True)
    url = f"/unsubscribe/{unsubscribe_token(subscription)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Отписаться" in page_text(page)
    assert "m@example.ru" not in page.content.decode()
    assert Subscription.objects.count() == 1  # a link checker's GET changes nothing
    done = client.post(url)
    assert "Вы отписались" in page_text(done)
    assert Subscription.objects.count() == 0
    # The link keeps answering, politely.
    assert "Вы отписались" in page_text(client.post(url))


def test_one_click_unsubscribe_needs_no_form_token(settings):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click with no CSRF token."""
    subscription = confirmed(minutes=True)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/unsubscribe/{unsubscribe_token(subscription)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscription.objects.count() == 0


def test_a_forged_unsubscribe_link_changes_nothing(client):
    subscription = confirmed(minutes=True)
    other = confirmed("other@example.ru", minutes=True)
    token = unsubscribe_token(other)
    # This subscription's payload under the other one's signature.
    forged = unsubscribe_token(subscription).rsplit(":", 1)[0] + ":" + token.rsplit(":", 1)[1]
    for bad in [forged, token[:-2] + "xx", "nothing"]:
        response = client.post(f"/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "Ссылка повреждена или создана не порталом" in page_text(response)
    assert Subscription.objects.count() == 2


def test_the_letters_unsubscribe_link_is_the_one_that_works(client, settings):
    subscribe(client, "m@example.ru")
    subscription = Subscription.objects.get()
    assert UNSUBSCRIBE_LINK.search(
        f"http://127.0.0.1:8000/unsubscribe/{unsubscribe_token(subscription)}/"
    )
    assert subscription.confirmed_at <= timezone.now() + datetime.timedelta(seconds=1)


HOSTILE_POSTS = [
    {"email": SCRIPT, "minutes": "on"},
    {"email": ONERROR + "@example.ru", "minutes": "on"},
    {"email": NUL + "@example.ru", "minutes": "on"},
    {"email": LONG + "@example.ru", "minutes": "on"},
    {"email": EMOJI + "@example.ru", "minutes": "on"},
    {"email": "m@example.ru", "organizations": ["999999"]},
    {"email": "m@example.ru", "organizations": ["abc", SCRIPT]},
    {"email": ["a@example.ru", "b@example.ru"], "minutes": SCRIPT},
]


@pytest.mark.parametrize("data", HOSTILE_POSTS, ids=range(len(HOSTILE_POSTS)))
def test_hostile_subscriptions_are_refused_with_a_message_and_escaped(client, data):
    response = client.post("/subscribe/", data)
    body = response.content.decode()
    assert response.status_code in (200, 302, 400)
    assert "<script>alert" not in body and "<img src=x" not in body
    if response.status_code == 200:
        assert "invalid-feedback" in body or "alert" in body
    assert Subscription.objects.count() == 0
    if response.status_code != 302:
        assert mail.outbox == []


@pytest.mark.parametrize(
    "token", ["x" * 5000, SCRIPT, "%00", "a:b:c", ONERROR.replace("/", "")], ids=range(5)
)
def test_hostile_links_are_refused_with_a_message(client, token):
    for path in (f"/subscribe/confirm/{token}/", f"/unsubscribe/{token}/"):
        for send in (client.get, client.post):
            response = send(path)
            assert response.status_code in (400, 404)
            assert "<script>alert" not in response.content.decode()


def test_without_a_mail_server_nobody_is_offered_a_letter(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    response = client.get("/subscribe/")
    assert response.status_code == 503
    assert "Подписка по электронной почте пока недоступна" in page_text(response)
    assert request_subscription(client, "m@example.ru").status_code == 503
    assert mail.outbox == []
