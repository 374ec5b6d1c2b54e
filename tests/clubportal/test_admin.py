"""The secretary's admin: every page renders in Russian, and bad input is refused clearly."""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from meetings.models import Meeting
from members.models import Organization
from resolutions.models import Admission, Resolution
from tests.formscrape import form_data
from tests.helpers import admit, make_meeting, make_member, make_resolution

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"members", "meetings", "resolutions", "stats"}
PROJECT_MODELS = [m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_project_model_is_in_the_admin():
    names = {m._meta.label for m in PROJECT_MODELS}
    for label in [
        "members.Municipality",
        "members.Organization",
        "members.Member",
        "meetings.Meeting",
        "resolutions.Resolution",
        "resolutions.ResolutionProgress",
        "stats.Indicator",
        "stats.FormTemplate",
        "stats.ReportingPeriod",
        "stats.Report",
    ]:
        assert label in names


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
def test_list_add_and_change_pages_render(client, superuser, demo, model):
    client.force_login(superuser)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        response = client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200


def test_model_names_are_russian():
    for model in apps.get_models():
        # django-simple-history's own tables are named by the library, not by us.
        if model._meta.app_label in PROJECT_APPS and not model.__name__.startswith("Historical"):
            name = str(model._meta.verbose_name)
            assert any("а" <= ch.lower() <= "я" for ch in name), model


def test_meeting_page_shows_the_whole_seed_in_russian(secretary_client, demo):
    response = secretary_client.get(admin_url(Meeting, "change", demo.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Изменить заседание" in html
    assert "Сохранить" in html
    assert "Практика методической работы" in html
    assert "Выразить благодарность директору" in html
    assert "Рассмотреть возможность участия в работе по расширению" in html
    assert "Организация статистического учета в ЦБС" in html
    assert "Девятых Ирина Анатольевна" in html


def test_meeting_change_page_query_count(secretary_client, demo, django_assert_num_queries):
    url = admin_url(Meeting, "change", demo.pk)
    # 22: one of them asks whether the meeting has an agenda, for the items' «agenda question».
    with django_assert_num_queries(22):
        assert secretary_client.get(url).status_code == 200


def post_meeting(client, meeting, changes):
    url = admin_url(Meeting, "change", meeting.pk) if meeting.pk else admin_url(Meeting, "add")
    data = form_data(client.get(url).content.decode(), "meeting_form")
    data.update(changes)
    return client.post(url, data)


def test_secretary_adds_a_meeting_on_a_taken_date_and_gets_a_numbered_slug(secretary_client, demo):
    data = form_data(
        secretary_client.get(admin_url(Meeting, "add")).content.decode(), "meeting_form"
    )
    data.update(
        title="Внеочередное заседание Клуба",
        date="23.06.2021",
        kind="extraordinary",
        format="online",
        status="draft",
    )
    response = secretary_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Meeting.objects.filter(
        slug="2021-06-23-2", title="Внеочередное заседание Клуба"
    ).exists()


def resolution_row(index, **values):
    return {f"resolutions-{index}-{k}": v for k, v in values.items()}


def add_resolution_rows(data, *rows):
    start = int(data["resolutions-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        data.update(resolution_row(start + offset, **row))
    data["resolutions-TOTAL_FORMS"] = str(start + len(rows))
    return data


def test_duplicate_number_in_a_section_is_refused_and_nothing_is_saved(secretary_client, demo):
    url = admin_url(Meeting, "change", demo.pk)
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    add_resolution_rows(
        data,
        {
            "section": "1",
            "number": "1",
            "kind": "other",
            "text": "Лишний пункт",
            "status": "adopted",
        },
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "В этом разделе протокола уже есть пункт с таким номером." in html
    assert not Resolution.objects.filter(text="Лишний пункт").exists()


def test_blank_numbers_are_filled_with_the_next_in_the_section(secretary_client, demo):
    url = admin_url(Meeting, "change", demo.pk)
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    add_resolution_rows(
        data,
        {
            "section": "2",
            "number": "",
            "kind": "decision",
            "text": "Четвёртое решение",
            "status": "adopted",
        },
        {
            "section": "2",
            "number": "",
            "kind": "decision",
            "text": "Пятое решение",
            "status": "adopted",
        },
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Resolution.objects.get(text="Четвёртое решение").number == 4
    assert Resolution.objects.get(text="Пятое решение").number == 5


def test_due_date_before_the_meeting_is_refused_on_the_meeting_page(secretary_client, demo):
    url = admin_url(Meeting, "change", demo.pk)
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    add_resolution_rows(
        data,
        {
            "section": "2",
            "number": "4",
            "kind": "decision",
            "text": "Поздно",
            "status": "adopted",
            "due_date": "01.06.2021",
        },
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert "Срок исполнения не может быть раньше даты заседания (23 июня 2021 г.)." in (
        response.content.decode()
    )
    assert not Resolution.objects.filter(text="Поздно").exists()


def test_admitting_an_admitted_member_again_is_refused_on_the_meeting_page(secretary_client, demo):
    member = Admission.objects.first().member
    meeting = make_meeting(datetime.date(2022, 6, 1), status=Meeting.Status.DRAFT)
    url = admin_url(Meeting, "change", meeting.pk)
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    add_resolution_rows(
        data,
        {
            "section": "1",
            "number": "1",
            "kind": "admission",
            "text": "Ввести в состав",
            "status": "adopted",
            "admitted": [str(member.pk)],
        },
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert f"{member.full_name} уже принят(а) в Клуб: протокол от 23 июня 2021 г., п. 3." in (
        response.content.decode()
    )
    assert not meeting.resolutions.exists()


def test_admission_on_the_meeting_page_links_new_members(secretary_client, demo):
    newcomer = make_member("Петрова")
    meeting = make_meeting(datetime.date(2022, 6, 1), status=Meeting.Status.DRAFT)
    url = admin_url(Meeting, "change", meeting.pk)
    data = form_data(secretary_client.get(url).content.decode(), "meeting_form")
    add_resolution_rows(
        data,
        {
            "section": "1",
            "number": "",
            "kind": "admission",
            "text": "Ввести в состав",
            "status": "adopted",
            "admitted": [str(newcomer.pk)],
        },
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    resolution = meeting.resolutions.get()
    assert resolution.number == 1
    assert [a.member for a in resolution.admissions.all()] == [newcomer]


def test_deleting_a_meeting_with_resolutions_is_refused_in_the_admin(superuser, client, demo):
    client.force_login(superuser)
    response = client.post(admin_url(Meeting, "delete", demo.pk), {"post": "yes"})
    html = response.content.decode()
    assert "<h1>Не удаётся удалить заседание</h1>" in html  # the accusative
    assert f"Удаление заседания «{demo}» потребует удаления следующих связанных" in html
    assert Meeting.objects.filter(pk=demo.pk).exists()


def test_deleting_an_organisation_with_members_is_refused_in_the_admin(superuser, client, demo):
    client.force_login(superuser)
    organization = Organization.objects.get(short_name="МИБС г. Кемерово")
    response = client.post(admin_url(Organization, "delete", organization.pk), {"post": "yes"})
    assert "защищенных объектов" in response.content.decode()
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_bulk_delete_of_organisations_with_members_is_refused(superuser, client, demo):
    client.force_login(superuser)
    ids = list(Organization.objects.values_list("pk", flat=True))
    response = client.post(
        admin_url(Organization, "changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert "защищенных объектов" in response.content.decode()
    assert Organization.objects.count() == len(ids)


def test_publish_and_unpublish_actions(secretary_client):
    draft = make_meeting(status=Meeting.Status.DRAFT)
    url = admin_url(Meeting, "changelist")
    response = secretary_client.post(
        url, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at
    assert "опубликован" in response.content.decode()
    secretary_client.post(url, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT


def test_resolution_change_page_has_progress_entries(secretary_client, demo):
    decision = demo.resolutions.filter(kind=Resolution.Kind.DECISION).first()
    response = secretary_client.get(admin_url(Resolution, "change", decision.pk))
    assert response.status_code == 200
    assert "Ход исполнения" in response.content.decode()


def test_resolution_list_filters(secretary_client, demo):
    make_resolution(make_meeting(datetime.date(2023, 3, 1)), 1, text="Решение 2023 года")
    url = admin_url(Resolution, "changelist")
    html = secretary_client.get(url, {"year": "2023"}).content.decode()
    assert "Решение 2023 года" in html
    assert "Обеспечить регламентацию" not in html
    html = secretary_client.get(url, {"kind__exact": "gratitude"}).content.decode()
    assert "Выразить благодарность" in html
    assert "Обеспечить регламентацию" not in html


def test_member_admin_shows_admitted_filter(secretary_client, demo):
    member = make_member("Сидорова")
    admit(make_resolution(make_meeting(), 1, kind=Resolution.Kind.ADMISSION), member)
    html = secretary_client.get(admin_url(type(member), "changelist")).content.decode()
    assert "Сидорова" in html


def test_meeting_page_links_to_the_site(secretary_client, demo):
    html = secretary_client.get(admin_url(Meeting, "change", demo.pk)).content.decode()
    assert "Смотреть на сайте" in html


def test_download_action_gives_one_pdf_for_one_meeting(secretary_client, demo):
    response = secretary_client.post(
        admin_url(Meeting, "changelist"), {"action": "download_pdf", "_selected_action": [demo.pk]}
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_download_action_gives_a_zip_for_several_meetings(secretary_client, demo):
    import io
    import zipfile

    other = make_meeting(datetime.date(2022, 6, 1))
    response = secretary_client.post(
        admin_url(Meeting, "changelist"),
        {"action": "download_xlsx", "_selected_action": [demo.pk, other.pk]},
    )
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == ["protokol-2021-06-23.xlsx", "protokol-2022-06-01.xlsx"]


def test_the_background_tasks_read_in_russian_in_the_admin(client, superuser, settings):
    from django_tasks_db.models import DBTaskResult

    from minutes.tasks import render_minutes_pdf

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    render_minutes_pdf.enqueue(make_meeting().pk)
    result = DBTaskResult.objects.get()
    client.force_login(superuser)
    assert "Фоновые задачи" in client.get("/admin/").content.decode()
    page = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    assert page.status_code == 200
    headers = re.findall(
        r'<th scope="col" class="[^"]*column-(\w+).*?<a href="[^"]*">([^<]+)</a>',
        page.content.decode(),
        flags=re.S,
    )
    assert ("enqueued_at", "Поставлена в очередь") in headers
    assert '<td class="field-status">В очереди</td>' in page.content.decode()
    detail = client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[result.pk])
    )
    assert "Поставлена в очередь" in detail.content.decode()
