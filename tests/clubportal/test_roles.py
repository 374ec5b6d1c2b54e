"""Permission groups made by the data migration, and what each role may open in the admin."""

import pytest
from django.contrib.auth.models import Group

from kernel import roles

pytestmark = pytest.mark.django_db


def test_the_three_groups_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Секретарь клуба",
        "Методист центра",
        "Оператор библиотеки",
    }


def perms(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_secretary_edits_the_minutes_and_members_but_not_statistics():
    granted = perms(roles.SECRETARY)
    assert {"change_meeting", "add_resolution", "delete_agendaitem", "add_member"} <= granted
    assert "change_report" not in granted
    assert "view_report" not in granted


def test_centre_edits_statistics_and_only_reads_the_rest():
    granted = perms(roles.CENTRE_METHODIST)
    assert {"add_formtemplate", "change_report", "add_indicator"} <= granted
    assert {"view_meeting", "view_resolution", "view_member"} <= granted
    assert not {"change_meeting", "delete_resolution", "add_member"} & granted


def test_operator_has_only_statistics_permissions():
    granted = perms(roles.LIBRARY_OPERATOR)
    assert {"view_report", "change_value"} <= granted
    assert not any(p.endswith(("meeting", "resolution", "member")) for p in granted)


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("secretary", "/admin/meetings/meeting/add/", 200),
        ("secretary", "/admin/resolutions/resolution/", 200),
        ("secretary", "/admin/members/member/add/", 200),
        ("secretary", "/admin/stats/report/", 403),
        ("secretary", "/admin/stats/formtemplate/add/", 403),
        ("centre_methodist", "/admin/stats/formtemplate/add/", 200),
        ("centre_methodist", "/admin/stats/report/", 200),
        ("centre_methodist", "/admin/meetings/meeting/", 200),
        ("centre_methodist", "/admin/meetings/meeting/add/", 403),
        ("centre_methodist", "/admin/members/member/add/", 403),
    ],
)
def test_admin_pages_by_role(client, request, role, url, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url).status_code == status


def test_operator_is_sent_to_the_login_page(client, operator):
    client.force_login(operator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_centre_sees_a_meeting_read_only(client, centre_methodist, demo):
    client.force_login(centre_methodist)
    html = client.get(f"/admin/meetings/meeting/{demo.pk}/change/").content.decode()
    assert "Просмотр заседания" in html or "Просмотреть заседание" in html
    assert 'name="_save"' not in html


def test_sync_is_idempotent():
    before = {g.name: set(g.permissions.all()) for g in Group.objects.all()}
    roles.sync_role_groups()
    after = {g.name: set(g.permissions.all()) for g in Group.objects.all()}
    assert before == after
