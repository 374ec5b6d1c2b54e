"""The seed minutes as demo data: every sentence, the admitted members, idempotence."""

import pytest
from django.core.management import call_command

from demo.club import demo_load
from meetings.models import AgendaItem, Meeting
from members.models import Member, Municipality, Organization
from resolutions.models import Admission, Resolution
from tests.helpers import SEED_PATH, normalize, seed_sentences

pytestmark = pytest.mark.django_db


def stored_text(meeting):
    venue = meeting.venue
    parts = [
        meeting.title,
        f"Тема: «{meeting.topic}»",
        "23 июня 2021 г.",
        venue.full_name,
        meeting.preamble,
        meeting.resolved_intro,
        meeting.decisions_intro,
    ]
    parts += [r.text for r in meeting.resolutions.all()]
    return normalize(" ".join(parts))


def test_seed_copy_matches_the_shared_original():
    shared = SEED_PATH.parents[2].parent / "shared" / "seed" / SEED_PATH.name
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert SEED_PATH.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")


def test_every_sentence_of_the_seed_is_stored(demo):
    text = stored_text(demo)
    missing = [s for s in seed_sentences() if normalize(s) not in text]
    assert missing == []
    assert len(seed_sentences()) > 15


def test_the_meeting_is_the_annual_online_meeting_hosted_by_the_regional_library(demo):
    assert demo.slug == "2021-06-23"
    assert demo.kind == Meeting.Kind.ANNUAL
    assert demo.format == Meeting.Format.ONLINE
    assert demo.venue.short_name == "ГНБК им. В.Д. Федорова"
    assert demo.venue.kind == Organization.Kind.REGIONAL
    assert demo.is_published
    assert [a.title for a in demo.agenda_items.all()] == [
        "Опыт внестационарной работы",
        "Проведение внутренних профессиональных конкурсов",
        "Организация статистического учета в ЦБС",
    ]


def test_sections_hold_three_items_each_with_their_kinds(demo):
    resolved = demo.resolutions.filter(section=Resolution.Section.RESOLVED).order_by("number")
    decisions = demo.resolutions.filter(section=Resolution.Section.DECISIONS).order_by("number")
    assert [r.kind for r in resolved] == ["gratitude", "note", "admission"]
    assert [r.number for r in resolved] == [1, 2, 3]
    assert [r.kind for r in decisions] == ["decision"] * 3
    assert [r.number for r in decisions] == [1, 2, 3]


def test_four_members_are_admitted_with_their_organisations_and_municipalities(demo):
    admitted = {
        (
            a.member.full_name,
            a.member.organization.short_name,
            a.member.organization.municipality.name,
        )
        for a in Admission.objects.select_related("member__organization__municipality")
    }
    assert admitted == {
        ("Девятых Ирина Анатольевна", "МИБС г. Новокузнецка", "Новокузнецкий городской округ"),
        ("Кентнер Наталья Евгеньевна", "Полысаевская ЦБС", "Полысаевский городской округ"),
        (
            "Андреева Елена Александровна",
            "ЦБС Киселевского городского округа",
            "Киселевский городской округ",
        ),
        ("Исаенкова Анна Владимировна", "МИБС г. Кемерово", "Кемеровский городской округ"),
    }
    admission = demo.resolutions.get(kind=Resolution.Kind.ADMISSION)
    assert admission.admissions.count() == 4


def counts():
    return [
        m.objects.count()
        for m in (Meeting, AgendaItem, Resolution, Admission, Member, Organization, Municipality)
    ]


def test_running_the_loader_twice_changes_nothing(db):
    demo_load()
    first = counts()
    result = demo_load()
    assert counts() == first
    assert not result.created


def test_loader_leaves_an_edited_meeting_alone(demo):
    demo.topic = "Исправленная тема"
    demo.save()
    demo_load()
    assert Meeting.objects.get(slug="2021-06-23").topic == "Исправленная тема"


def test_command_prints_the_secretary_login_only_with_debug(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "логин: secretary" in out
    assert "пароль: kuzbass-demo-2021" in out

    settings.DEBUG = False
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "secretary" not in out
    assert "уже" in out


def test_demo_secretary_can_log_in_to_the_admin(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "secretary", "password": "kuzbass-demo-2021", "next": "/admin/"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    response = client.get("/admin/meetings/meeting/")
    assert response.status_code == 200
    assert "Практика методической работы" in response.content.decode()


def test_if_empty_skips_a_database_with_meetings(capsys):
    from tests.helpers import make_meeting

    make_meeting()
    call_command("load_demo", "--if-empty")
    assert not Meeting.objects.filter(slug="2021-06-23").exists()
    assert "не загружен" in capsys.readouterr().out


def everything():
    from django.contrib.auth import get_user_model

    from members.models import OperatorAccount
    from stats.models import FormTemplate, Report, ReportingPeriod, Value

    return (
        counts()
        + [
            m.objects.count()
            for m in (ReportingPeriod, Report, Value, OperatorAccount, get_user_model())
        ]
        + [list(FormTemplate.objects.values_list("approved_by_id", flat=True))]
    )


def test_running_the_command_twice_changes_nothing_in_the_statistics_either(settings):
    from stats.models import Report

    settings.DEBUG = True
    call_command("load_demo")
    first = everything()
    assert Report.objects.filter(status=Report.Status.ACCEPTED).count() == 34 * 84 - 3
    call_command("load_demo")
    assert everything() == first


def test_command_prints_the_statistics_logins_only_with_debug(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Демонстрационная статистика загружена" in out
    assert "логин: centre  пароль: kuzbass-centre-2021" in out
    assert "логин: operator  пароль: kuzbass-operator-2021" in out

    settings.DEBUG = False
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Демонстрационная статистика уже есть в базе." in out
    assert "centre" not in out and "operator" not in out


def test_demo_operator_and_centre_can_log_in(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    for username, password in (
        ("operator", "kuzbass-operator-2021"),
        ("centre", "kuzbass-centre-2021"),
    ):
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, response.content.decode()[:500]
        client.post("/accounts/logout/")
