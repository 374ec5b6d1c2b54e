"""The secretary types an admitted member twice: in the accusative in the item's text and
again in the list of admitted members. The admin cross-checks the two after a save."""

import datetime

import pytest

from resolutions.forms import admission_mismatch
from resolutions.models import Resolution
from tests.formscrape import form_data
from tests.helpers import make_meeting, make_member, make_resolution

pytestmark = pytest.mark.django_db

TEXT = (
    "Ввести в состав Клуба Девятых Ирину Анатольевну (МИБС г.Новокузнецка), "
    "Кентнер Наталью Евгеньевну."
)


@pytest.fixture
def item():
    return make_resolution(
        make_meeting(datetime.date(2021, 6, 23)), 3, kind=Resolution.Kind.ADMISSION, text=TEXT
    )


def test_the_text_and_the_list_agree(item):
    members = [
        make_member("Девятых", first_name="Ирина", patronymic="Анатольевна"),
        make_member("Кентнер", first_name="Наталья", patronymic="Евгеньевна"),
    ]
    assert admission_mismatch(item, members) == ""


def test_who_is_missing_and_who_is_extra_are_named(item):
    members = [
        make_member("Девятых", first_name="Ирина", patronymic="Анатольевна"),
        make_member("Андреева", first_name="Елена", patronymic="Александровна"),
    ]
    warning = admission_mismatch(item, members)
    assert "Кентнер Наталья Евгеньевна" in warning
    assert "Андреева Елена Александровна" in warning
    assert "Девятых" not in warning
    assert "23 июня 2021" in warning


def test_a_text_that_names_nobody_is_not_checked(item):
    item.text = "Принять в члены Клуба представителей библиотечных систем области."
    assert admission_mismatch(item, [make_member("Андреева", first_name="Елена")]) == ""


def test_the_admin_warns_after_saving_a_mismatched_item(secretary_client, item):
    wrong = make_member("Андреева", first_name="Елена", patronymic="Александровна")
    url = f"/admin/resolutions/resolution/{item.pk}/change/"
    data = form_data(secretary_client.get(url).content.decode(), "resolution_form")
    data["admitted"] = [str(wrong.pk)]
    saved = secretary_client.post(url, data, follow=True)
    assert saved.status_code == 200
    page = saved.content.decode()
    assert 'class="warning"' in page
    assert "Девятых Ирина Анатольевна" in page and "Кентнер Наталья Евгеньевна" in page
    assert "Проверьте список" in page
    assert list(item.admissions.values_list("member__last_name", flat=True)) == ["Андреева"]
