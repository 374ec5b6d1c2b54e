"""Admissions and progress entries have one write path each, resolutions.services."""

import datetime

import pytest
from django.db import transaction
from django.test import Client

from meetings.models import Meeting
from meetings.services import meeting_publish
from members.models import Member
from resolutions.models import Admission, ProgressBypassError, Resolution, ResolutionProgress
from resolutions.services import admissions_set, progress_entry_save
from tests.formscrape import form_data
from tests.helpers import make_meeting, make_member, make_resolution, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 15)
STALE = "Ваши изменения не сохранены"


@pytest.fixture(autouse=True)
def _changes_commit(monkeypatch):
    """The page cache is renewed when a change commits; inside a test's transaction
    nothing commits, so what would run on commit runs at once."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def public_status(member) -> int:
    return Client().get(member.get_absolute_url()).status_code


def test_admissions_set_admits_exactly_the_members_given():
    item = make_resolution(make_meeting(DAY), 1, kind=Resolution.Kind.ADMISSION)
    first, second, third = make_member("Первова"), make_member("Вторая"), make_member("Третья")
    admissions_set(resolution=item, members=[first, second])
    admissions_set(resolution=item, members=[second, third])
    assert set(Admission.objects.values_list("member__last_name", flat=True)) == {
        "Вторая",
        "Третья",
    }
    assert not Admission.objects.filter(member=first).exists()


def test_admissions_on_the_resolution_page_become_public_with_the_minutes(secretary_client):
    meeting = make_meeting(DAY, status=Meeting.Status.DRAFT)
    item = make_resolution(meeting, 1, kind=Resolution.Kind.ADMISSION, text="Ввести в состав")
    newcomer = make_member("Новикова")

    data = form_data(secretary_client.get(change_url(item)).content.decode(), "resolution_form")
    data["admitted"] = [str(newcomer.pk)]
    response = secretary_client.post(change_url(item), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    assert [a.member for a in Admission.objects.filter(resolution=item)] == [newcomer]
    # Admitted by draft minutes: nobody outside knows of her yet.
    assert newcomer not in Member.objects.public()
    assert public_status(newcomer) == 404

    meeting_publish(meeting=meeting)
    assert newcomer in Member.objects.public()
    assert public_status(newcomer) == 200


def test_removing_a_member_on_the_resolution_page_removes_the_admission(secretary_client):
    item = make_resolution(make_meeting(DAY), 1, kind=Resolution.Kind.ADMISSION)
    stays, leaves = make_member("Остаётся"), make_member("Уходит")
    admissions_set(resolution=item, members=[stays, leaves])

    data = form_data(secretary_client.get(change_url(item)).content.decode(), "resolution_form")
    data["admitted"] = [str(stays.pk)]
    assert secretary_client.post(change_url(item), data).status_code == 302
    assert [a.member for a in Admission.objects.all()] == [stays]
    assert public_status(leaves) == 404 and public_status(stays) == 200


def test_the_demo_admits_its_four_members_publicly(demo):
    admitted = Member.objects.filter(admission__resolution__meeting=demo)
    assert admitted.count() == 4
    assert set(admitted) <= set(Member.objects.public())


def test_a_progress_entry_with_a_status_is_refused_past_the_service():
    decision = make_resolution(make_meeting(DAY), 1)
    version = decision.version
    with pytest.raises(ProgressBypassError):
        ResolutionProgress.objects.create(resolution=decision, text="Запись", new_status="done")
    # A note without a status saves as it is, and the decision is left alone either way.
    note = ResolutionProgress.objects.create(resolution=decision, text="Обсуждено")
    note.new_status = "done"
    with pytest.raises(ProgressBypassError):
        note.save()
    decision.refresh_from_db()
    assert decision.status == Resolution.Status.ADOPTED and decision.version == version


def test_a_progress_entry_through_the_service_moves_the_decision_and_its_version():
    decision = make_resolution(make_meeting(DAY), 1)
    version = decision.version
    progress_entry_save(
        entry=ResolutionProgress(resolution=decision, text="Начато", new_status="in_progress")
    )
    decision.refresh_from_db()
    assert decision.status == Resolution.Status.IN_PROGRESS and decision.version == version + 1


def test_a_progress_entry_in_the_admin_inline_makes_a_stale_decision_form_refused(
    secretary_client,
):
    decision = make_resolution(make_meeting(DAY), 1, text="Подготовить сводный отчёт")
    version = decision.version
    mine = form_data(secretary_client.get(change_url(decision)).content.decode(), "resolution_form")

    colleague = Client()
    colleague.force_login(make_user("kollega", group="Секретарь клуба"))
    theirs = form_data(colleague.get(change_url(decision)).content.decode(), "resolution_form")
    theirs.update(
        {
            "progress_entries-0-date": "01.09.2024",
            "progress_entries-0-text": "Отчёт подготовлен",
            "progress_entries-0-new_status": "done",
        }
    )
    assert colleague.post(change_url(decision), theirs).status_code == 302
    decision.refresh_from_db()
    assert decision.status == Resolution.Status.DONE
    assert decision.version > version
    assert decision.progress_entries.get().author.username == "kollega"

    mine["responsible_person"] = "Иванова М. П."
    response = secretary_client.post(change_url(decision), mine)
    assert response.status_code == 200 and STALE in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == Resolution.Status.DONE and decision.responsible_person == ""
