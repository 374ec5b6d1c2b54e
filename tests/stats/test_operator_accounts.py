"""The centre makes a new library's operator account: bound to her library system, with a
password set or a link to set it mailed to her; she logs in and reports for it alone."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from kernel import roles
from members.models import OperatorAccount
from tests.formscrape import form_data
from tests.helpers import make_organization
from tests.stats.test_entry import page_text

pytestmark = pytest.mark.django_db

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def centre_client(client, centre_methodist):
    client.force_login(centre_methodist)
    return client


@pytest.fixture
def yurga():
    return make_organization("ЦБС г. Юрги")


def log_in(client, username, password) -> bool:
    """Through the login page, as she would (django-axes wants the request)."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def account_form(client, **changes):
    response = client.get("/stats/review/operators/")
    assert response.status_code == 200
    return form_data(response.content.decode(), "operator-account") | changes


def test_the_centre_creates_an_account_with_a_link_and_she_sets_her_password(centre_client, yurga):
    data = account_form(
        centre_client,
        organization=str(yurga.pk),
        last_name="Иванова",
        first_name="Мария Петровна",
        username="yurga-stat",
        email="stat@yurga-library.example.ru",
        how="link",
    )
    response = centre_client.post("/stats/review/operators/", data, follow=True)
    text = page_text(response)
    assert (
        "Учётная запись «yurga-stat» (ЦБС г. Юрги) создана; письмо со ссылкой для выбора пароля "
        "отправлено на адрес stat@yurga-library.example.ru." in text
    )
    account = OperatorAccount.objects.select_related("user").get(organization=yurga)
    user = account.user
    assert (user.username, user.last_name, user.first_name) == (
        "yurga-stat",
        "Иванова",
        "Мария Петровна",
    )
    assert not user.is_staff and not user.has_usable_password()
    assert user.groups.filter(name=roles.LIBRARY_OPERATOR).exists()
    assert "yurga-stat" in page_text(centre_client.get("/stats/review/operators/"))

    [letter] = mail.outbox
    assert letter.to == ["stat@yurga-library.example.ru"]
    assert (
        letter.subject
        == "Ваша учётная запись для статистики: Клуб деловых встреч методистов Кузбасса"
    )
    assert "Ваш логин: yurga-stat" in letter.body and "ЦБС г. Юрги" in letter.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", letter.body).group(1)

    operator = Client()
    form_page = operator.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    operator.post(
        set_url, {"new_password1": "Юрга-2026-статистика", "new_password2": "Юрга-2026-статистика"}
    )
    assert log_in(operator, "yurga-stat", "Юрга-2026-статистика")
    assert operator.get("/stats/reports/").status_code == 200
    assert operator.get("/stats/review/").status_code == 403


def test_the_centre_can_set_the_password_itself(centre_client, yurga):
    data = account_form(
        centre_client,
        organization=str(yurga.pk),
        last_name="Петрова",
        username="yurga-2",
        how="password",
        password1="Кузбасс-статистика-7",
        password2="Кузбасс-статистика-7",
    )
    response = centre_client.post("/stats/review/operators/", data, follow=True)
    assert "создана с заданным вами паролем: сообщите его оператору." in page_text(response)
    assert mail.outbox == []
    assert log_in(Client(), "yurga-2", "Кузбасс-статистика-7")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "YURGA-STAT"}, "Этот логин уже занят: выберите другой."),
        ({"username": "юрга стат"}, "Введите правильное имя пользователя."),
        ({"how": "link", "email": ""}, "Укажите электронную почту оператора: ссылка придёт туда."),
        ({"email": "не-адрес"}, "Введите правильный адрес электронной почты."),
        ({"how": "password"}, "Введите пароль."),
        (
            {"how": "password", "password1": "Кузбасс-2026-х", "password2": "Кузбасс-2026-у"},
            "Пароли не совпадают.",
        ),
        ({"how": "password", "password1": "12345678", "password2": "12345678"}, "слишком"),
        ({"last_name": ""}, "Обязательное поле."),
    ],
)
def test_a_bad_account_is_refused_with_a_message_and_nothing_is_made(
    centre_client, yurga, changes, message
):
    taken = make_organization("МИБС Тайги")
    from members.services import operator_account_create

    operator_account_create(organization=taken, username="yurga-stat", first_name="", last_name="Н")
    data = account_form(
        centre_client,
        organization=str(yurga.pk),
        last_name="Иванова",
        username="yurga-new",
        email="stat@yurga-library.example.ru",
        how="link",
    )
    response = centre_client.post("/stats/review/operators/", data | changes)
    assert response.status_code == 200
    assert message in page_text(response)
    assert get_user_model().objects.count() == 2  # the centre's and the one made above
    assert mail.outbox == []


def test_without_a_mail_server_a_link_cannot_be_chosen(centre_client, yurga, settings):
    settings.EMAIL_BACKEND, settings.EMAIL_HOST = SMTP, ""
    page = page_text(centre_client.get("/stats/review/operators/"))
    assert (
        "Портал не может отправлять письма (почтовый сервер не настроен): задайте пароль." in page
    )
    data = account_form(
        centre_client,
        organization=str(yurga.pk),
        last_name="Иванова",
        username="yurga-stat",
        email="stat@yurga-library.example.ru",
        how="link",
    )
    response = centre_client.post("/stats/review/operators/", data)
    assert "Портал не может отправлять письма" in page_text(response)
    assert not OperatorAccount.objects.exists()


def test_a_new_link_goes_to_an_operator_whose_link_expired(centre_client, yurga):
    from members.services import operator_account_create

    account = operator_account_create(
        organization=yurga,
        username="yurga-stat",
        first_name="Мария",
        last_name="Иванова",
        email="stat@yurga-library.example.ru",
    )
    page = centre_client.get("/stats/review/operators/").content.decode()
    assert f'action="/stats/review/operators/{account.pk}/letter/"' in page
    response = centre_client.post(f"/stats/review/operators/{account.pk}/letter/", follow=True)
    assert "Новая ссылка для выбора пароля отправлена на адрес stat@yurga-library.example.ru." in (
        page_text(response)
    )
    assert len(mail.outbox) == 1
    assert centre_client.get(f"/stats/review/operators/{account.pk}/letter/").status_code == 405
