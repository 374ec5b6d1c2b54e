"""The admin's search and autocomplete read «ё» as «е», in any case, on every model admin."""

import json

import pytest
from django.urls import reverse

from kernel.search import admin_search_fields
from meetings.models import Meeting
from members.models import Member, Organization
from resolutions.models import Resolution
from tests.helpers import make_meeting, make_member, make_organization, make_resolution

pytestmark = pytest.mark.django_db


def changelist(client, model, query):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def autocomplete(client, app_label, model_name, field_name, term):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [row["text"] for row in json.loads(response.content)["results"]]


@pytest.mark.parametrize("query", ["Федорова", "Фёдорова", "федорова", "ФЁДОРОВА"])
def test_the_members_changelist_finds_fedorova_written_either_way(superuser, client, query):
    client.force_login(superuser)
    make_member("Фёдорова", first_name="Анна")
    make_member("Федорова", first_name="Ольга")
    make_member("Петрова", first_name="Вера")
    body = changelist(client, Member, query)
    assert "Фёдорова Анна" in body and "Федорова Ольга" in body
    assert "Петрова Вера" not in body


@pytest.mark.parametrize("term", ["Федорова", "Фёдорова", "фёдор"])
def test_the_autocomplete_finds_fedorova_written_either_way(secretary_client, term):
    organization = make_organization("ГНБК им. В.Д. Фёдорова")
    elsewhere = make_organization("ЦБС Юрги")
    make_member("Фёдорова", first_name="Анна", organization=organization)
    make_member("Петрова", first_name="Вера", organization=elsewhere)
    # The chair of a meeting is chosen from the members, its venue from the organisations.
    chairs = autocomplete(secretary_client, "meetings", "meeting", "chair", term)
    assert [c for c in chairs if c.startswith("Фёдорова Анна")] and not [
        c for c in chairs if "Петрова" in c
    ]
    venues = autocomplete(secretary_client, "meetings", "meeting", "venue", term)
    assert venues == ["ГНБК им. В.Д. Фёдорова"]


def test_meetings_resolutions_and_organisations_fold_yo_as_well(superuser, client):
    client.force_login(superuser)
    meeting = make_meeting(topic="Статистический учёт")
    make_resolution(meeting, 1, text="Наладить учёт посещений.")
    make_organization("Ёлкинская ЦБС")
    assert "Статистический учёт" in changelist(client, Meeting, "учет")
    assert "Наладить учёт" in changelist(client, Resolution, "УЧЕТ")
    assert "Ёлкинская ЦБС" in changelist(client, Organization, "елкинская")


def test_only_text_fields_are_folded():
    fields = ["last_name", "^slug", "=code", "title__iexact", "organization__short_name", "pk"]
    assert admin_search_fields(Member, fields) == [
        "last_name__folded_contains",
        "^slug",
        "=code",
        "title__iexact",
        "organization__short_name__folded_contains",
        "pk",
    ]
