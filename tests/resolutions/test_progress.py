"""Progress entries move their decision's status, and a form opened before that is refused."""

import datetime

import pytest
from django.test import Client

from resolutions.models import Resolution, ResolutionProgress
from resolutions.services import progress_entry_save
from tests.formscrape import form_data
from tests.helpers import make_meeting, make_resolution, make_user

pytestmark = pytest.mark.django_db

STALE = "Ваши изменения не сохранены"


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


@pytest.fixture
def decision(db):
    meeting = make_meeting(datetime.date(2024, 5, 15))
    return make_resolution(meeting, 1, text="Подготовить сводный отчёт о летнем чтении")


@pytest.fixture
def colleague_client(db):
    colleague = Client()
    colleague.force_login(make_user("kollega", group="Секретарь клуба"))
    return colleague


def add_done_entry_on_the_progress_page(client, decision):
    url = "/admin/resolutions/resolutionprogress/add/"
    data = form_data(client.get(url).content.decode(), "resolutionprogress_form")
    data.update(
        resolution=str(decision.pk),
        date="01.09.2024",
        text="Отчёт подготовлен и направлен в ЦБС",
        new_status="done",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def add_done_entry_on_the_decision_page(client, decision):
    url = change_url(decision)
    data = form_data(client.get(url).content.decode(), "resolution_form")
    data.update(
        {
            "progress_entries-0-date": "01.09.2024",
            "progress_entries-0-text": "Отчёт подготовлен и направлен в ЦБС",
            "progress_entries-0-new_status": "done",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.parametrize(
    "add_entry",
    [add_done_entry_on_the_progress_page, add_done_entry_on_the_decision_page],
    ids=["progress admin", "decision page inline"],
)
def test_decision_form_opened_before_a_done_entry_cannot_save_the_old_status_back(
    secretary_client, colleague_client, decision, add_entry
):
    # The secretary opens the decision; it reads «принято».
    mine = form_data(secretary_client.get(change_url(decision)).content.decode(), "resolution_form")
    assert mine["status"] == "adopted"

    # Meanwhile a progress entry marks it «выполнено».
    add_entry(colleague_client, decision)
    decision.refresh_from_db()
    assert decision.status == Resolution.Status.DONE

    # Her form, still carrying the old version and the old status, is refused.
    mine["responsible_person"] = "Иванова М. П."
    response = secretary_client.post(change_url(decision), mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert STALE in html
    assert "kollega" in html
    assert "статус исполнения" in html
    decision.refresh_from_db()
    assert decision.status == Resolution.Status.DONE
    assert decision.responsible_person == ""


def test_meeting_page_opened_before_a_done_entry_cannot_save_the_old_status_back(
    secretary_client, colleague_client, decision
):
    meeting = decision.meeting
    mine = form_data(secretary_client.get(change_url(meeting)).content.decode(), "meeting_form")
    add_done_entry_on_the_progress_page(colleague_client, decision)

    response = secretary_client.post(change_url(meeting), mine)
    assert response.status_code == 200
    assert STALE in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == Resolution.Status.DONE


def test_a_progress_entry_with_a_status_advances_the_decision_version_and_history(decision):
    before = decision.version
    progress_entry_save(
        entry=ResolutionProgress(
            resolution=decision, text="Работа начата", new_status="in_progress"
        )
    )
    decision.refresh_from_db()
    assert decision.status == Resolution.Status.IN_PROGRESS
    assert decision.version == before + 1
    latest = decision.history.order_by("-history_date", "-history_id").first()
    assert (latest.status, latest.version) == ("in_progress", decision.version)


def test_a_progress_entry_without_a_status_leaves_the_decision_as_it_is(decision):
    before = decision.version
    progress_entry_save(
        entry=ResolutionProgress(resolution=decision, text="Обсуждено на совещании")
    )
    decision.refresh_from_db()
    assert (decision.status, decision.version) == (Resolution.Status.ADOPTED, before)


def test_a_progress_entry_that_cannot_be_saved_leaves_the_decision_unchanged(decision):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        progress_entry_save(
            entry=ResolutionProgress(resolution=decision, text="", new_status="done")
        )
    decision.refresh_from_db()
    assert decision.status == Resolution.Status.ADOPTED
    assert not ResolutionProgress.objects.exists()


def test_the_progress_admin_records_who_wrote_the_entry(colleague_client, decision):
    add_done_entry_on_the_progress_page(colleague_client, decision)
    assert ResolutionProgress.objects.get().author.username == "kollega"
