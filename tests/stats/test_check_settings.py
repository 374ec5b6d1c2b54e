"""The soft checks' thresholds are the centre's to tune per form version: in the admin beside
the rows, copied with «copy the previous version», frozen once the version is approved."""

import datetime

import pytest

from stats import services
from stats.checks import Thresholds
from stats.models import CheckSettings, FrozenFormError
from tests.helpers import CLEAN_JUNE, LAST_JUNE, form_v1, make_organization, make_report
from tests.stats.test_admin_workflow import add_data, change_url, errors_on_page
from tests.stats.test_entry import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_client(client, centre_methodist):
    client.force_login(centre_methodist)
    return client


def test_form_v1_has_today_s_thresholds_and_they_are_frozen_with_it(centre_client):
    settings_row = CheckSettings.objects.get(form=form_v1())
    assert settings_row.thresholds() == Thresholds()
    assert (settings_row.jump_percent, settings_row.jump_min_difference) == (50, 20)
    assert (settings_row.attendance_min, settings_row.attendance_max) == (2, 300)
    body = centre_client.get(change_url(form_v1())).content.decode()
    assert "Пороги проверок" in body or "пороги проверок" in body.lower()
    assert 'name="check_settings-0-same_above"' not in body  # shown, not editable
    settings_row.same_above = 0
    with pytest.raises(FrozenFormError):
        settings_row.save()
    with pytest.raises(FrozenFormError):
        settings_row.delete()


def test_a_copy_takes_the_thresholds_along_and_the_centre_tunes_them_in_the_admin(
    centre_client,
):
    draft = services.form_copy(form=form_v1())
    assert CheckSettings.objects.get(form=draft).thresholds() == Thresholds()
    url = change_url(draft)
    data = add_data(
        centre_client,
        url,
        "formtemplate_form",
        **{
            "check_settings-0-same_above": "30",
            "check_settings-0-jump_percent": "80",
            "check_settings-0-same_on_stocks": "on",
        },
    )
    data.pop("check_settings-0-jump_on_stocks", None)  # unticked
    response = centre_client.post(url, data, follow=True)
    assert "изменена" in page_text(response)
    tuned = CheckSettings.objects.get(form=draft)
    assert (tuned.same_above, tuned.jump_percent, tuned.same_on_stocks, tuned.jump_on_stocks) == (
        30,
        80,
        True,
        False,
    )
    # The next copy starts from the tuned values.
    assert CheckSettings.objects.get(form=services.form_copy(form=draft)).same_above == 30


def test_thresholds_out_of_order_are_refused_next_to_the_field(centre_client):
    draft = services.form_copy(form=form_v1())
    url = change_url(draft)
    data = add_data(
        centre_client,
        url,
        "formtemplate_form",
        **{"check_settings-0-attendance_min": "400", "check_settings-0-jump_percent": "0"},
    )
    response = centre_client.post(url, data)
    assert response.status_code == 200
    errors = errors_on_page(response.content.decode())
    assert "Наименьшее число посещений на мероприятие не может быть больше наибольшего." in errors
    assert "Убедитесь, что это значение больше либо равно 1." in errors
    assert CheckSettings.objects.get(form=draft).attendance_min == 2


def test_a_report_is_checked_by_the_thresholds_of_its_own_version(centre_methodist):
    yurga, taiga = make_organization("ЦБС г. Юрги"), make_organization("МИБС Тайги")
    draft = services.form_copy(form=form_v1())
    draft.valid_from = datetime.date(2026, 1, 1)
    draft.save()
    CheckSettings.objects.filter(form=draft).update(same_above=50, jump_min_difference=1000)
    services.form_approve(form=draft, approved_on=datetime.date(2025, 12, 1))
    last_year = {**LAST_JUNE, "VS.EVENTS": 44, "VS.LOANS": 1000}
    this_year = {**CLEAN_JUNE, "VS.EVENTS": 44, "VS.LOANS": 1900}
    make_report(yurga, 2024, 6, last_year, status="accepted")
    make_report(taiga, 2025, 6, last_year, status="accepted")
    on_v1 = services.report_save_values(report=make_report(yurga, 2025, 6), values=this_year)
    on_v2 = services.report_save_values(
        report=make_report(taiga, 2026, 6, form=draft), values=this_year
    )
    # v1: 44 events again (above 10) and +90 % loans (900 more) both warn; v2 asks for more.
    assert {(f.indicator, f.code) for f in on_v1.findings} >= {
        ("VS.EVENTS", "same_as_last_year"),
        ("VS.LOANS", "jump"),
    }
    assert on_v2.report.form == draft
    assert not {f.code for f in on_v2.findings} & {"same_as_last_year", "jump"}
