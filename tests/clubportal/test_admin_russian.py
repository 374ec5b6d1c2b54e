"""The admin speaks of every model in Russian that agrees: case, gender, number."""

import html
import json
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from kernel.admin_texts import noun_of
from meetings.models import Meeting
from members.models import Member, Municipality, Organization
from tests.formscrape import form_data
from tests.helpers import make_member, make_municipality, make_organization

pytestmark = pytest.mark.django_db

# Every model of the admin site, by what its «add» button and add page say.
ADD_TEXTS = {
    "auth.group": "Добавить группу",
    "auth.user": "Добавить пользователя",
    "axes.accessattempt": "Добавить запись о попытке доступа",
    "axes.accesslog": "Добавить запись о доступе",
    "axes.accessfailurelog": "Добавить ошибку доступа",
    "django_tasks_database.dbtaskresult": "Добавить фоновую задачу",
    "members.municipality": "Добавить муниципальное образование",
    "members.organization": "Добавить организацию",
    "members.member": "Добавить участника Клуба",
    "members.operatoraccount": "Добавить учётную запись оператора",
    "resolutions.resolution": "Добавить пункт протокола",
    "resolutions.resolutionprogress": "Добавить запись о ходе исполнения",
    "meetings.meeting": "Добавить заседание",
    "notices.subscription": "Добавить подписку",
    "notices.decisioncontact": "Добавить адрес для напоминаний о решении",
    "notices.sentnotice": "Добавить отправленное письмо",
    "stats.indicator": "Добавить показатель",
    "stats.formtemplate": "Добавить форму отчёта",
    "stats.reportingperiod": "Добавить отчётный период",
    "stats.report": "Добавить отчёт",
    "chronicle.certificate": "Добавить справку об участии",
}
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", body))


def messages_of(response) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", str(m))) for m in response.context["messages"]]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_of_the_admin_and_every_inline_is_named_in_every_form():
    assert {model._meta.label_lower for model, _ in REGISTRY} == set(ADD_TEXTS)
    for model, model_admin in REGISTRY:
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for named in [model_admin, *inlines]:
            noun = noun_of(named)
            assert noun is not None, type(named)
            forms = [noun.accusative, noun.genitive, noun.accusative_plural]
            forms.append(noun.counted % {"count": 5})
            for form in map(str, forms):  # translated: Cyrillic, not the English msgid
                assert re.search("[а-яё]", form), (type(named), form)


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=lambda v: str(v))
def test_every_list_and_add_page_names_its_model_in_the_accusative(
    client, superuser, model, model_admin
):
    client.force_login(superuser)
    adding = ADD_TEXTS[model._meta.label_lower]
    accusative = adding.removeprefix("Добавить ")
    changelist = client.get(url(model, "changelist"))
    assert changelist.status_code == 200
    body = changelist.content.decode()
    listing = re.search(r"<h1>(.*?)</h1>", body).group(1)
    assert listing in (
        f"Выберите {accusative} для изменения",
        f"Выберите {accusative} для просмотра",
    )
    add = client.get(url(model, "add"))
    if add.status_code == 403:  # a log the admin only reads (axes)
        assert 'class="addlink">' not in body
        return
    assert re.search(rf'class="addlink">\s*{adding}\s*</a>', body)
    assert f"<h1>{adding}</h1>" in add.content.decode()
    assert f"&rsaquo; {adding}" in add.content.decode()  # the breadcrumb


def post_form(client, address, form_id, **changes):
    data = form_data(client.get(address).content.decode(), form_id)
    data.update(changes)
    return client.post(address, data, follow=True)


def test_adding_a_meeting_says_so_in_the_neuter(client, superuser):
    client.force_login(superuser)
    response = post_form(
        client,
        url(Meeting, "add"),
        "meeting_form",
        title="Внеочередное заседание Клуба",
        date="15.03.2024",
        kind="extraordinary",
        format="online",
        status="draft",
    )
    meeting = Meeting.objects.get(date="2024-03-15")
    assert messages_of(response) == [f"Заседание «{meeting}» добавлено."]
    response = post_form(client, url(Meeting, "change", meeting.pk), "meeting_form", _continue="1")
    assert messages_of(response) == [
        f"Заседание «{meeting}» изменено. Ниже можно продолжить редактирование."
    ]


def test_adding_an_organisation_says_so_in_the_feminine(client, superuser):
    client.force_login(superuser)
    municipality = make_municipality("Юргинский округ")
    response = post_form(
        client,
        url(Organization, "add"),
        "organization_form",
        short_name="ЦБС г. Юрги",
        full_name="Централизованная библиотечная система г. Юрги",
        kind="cbs",
        municipality=str(municipality.pk),
        _addanother="1",
    )
    organization = Organization.objects.get(short_name="ЦБС г. Юрги")
    assert messages_of(response) == [
        f"Организация «{organization}» добавлена. Ниже можно добавить ещё одну запись."
    ]
    response = client.post(
        url(Organization, "delete", organization.pk), {"post": "yes"}, follow=True
    )
    assert messages_of(response) == [f"Организация «{organization}» удалена."]


def test_adding_a_member_says_so_in_the_masculine(client, superuser):
    client.force_login(superuser)
    organization = make_organization("ЦБС участников")
    response = post_form(
        client,
        url(Member, "add"),
        "member_form",
        last_name="Девятых",
        first_name="Ирина",
        patronymic="Анатольевна",
        organization=str(organization.pk),
        status="active",
    )
    member = Member.objects.get(last_name="Девятых")
    assert messages_of(response) == [f"Участник Клуба «{member}» добавлен."]


def test_no_message_says_was_added_in_the_masculine_of_a_neuter_or_feminine_name(client, superuser):
    client.force_login(superuser)
    municipality = make_municipality("Тайгинский округ")
    changed = post_form(
        client, url(Municipality, "change", municipality.pk), "municipality_form", _save="1"
    )
    assert messages_of(changed) == [f"Муниципальное образование «{municipality}» изменено."]
    for message in messages_of(changed):
        assert "был успешно" not in message and "успешно" not in message


def test_the_meeting_page_offers_another_row_of_each_inline_in_its_own_words(
    secretary_client, demo
):
    body = secretary_client.get(url(Meeting, "change", demo.pk)).content.decode()
    inlines = {
        data["options"]["prefix"]: data["options"]["addText"]
        for data in (
            json.loads(html.unescape(raw))
            for raw in re.findall(r'data-inline-formset="([^"]+)"', body)
        )
    }
    assert inlines == {
        "agenda_items": "Добавить ещё один вопрос повестки дня",
        "attendances": "Добавить ещё одного присутствующего",
        "attachments": "Добавить ещё одно вложение",
        "resolutions": "Добавить ещё один пункт протокола",
    }
    assert "еще один" not in body


def test_the_lists_count_and_delete_in_agreeing_numbers(client, superuser):
    client.force_login(superuser)
    for name in ("Первый округ", "Второй округ"):
        make_municipality(name)
    changelist = client.get(url(Municipality, "changelist"))
    assert "2 муниципальных образования" in text(changelist)
    assert "Удалить выбранные муниципальные образования" in text(changelist)
    ids = list(Municipality.objects.values_list("pk", flat=True))
    confirm = client.post(
        url(Municipality, "changelist"), {"action": "delete_selected", "_selected_action": ids}
    )
    assert "удалить выбранные объекты (муниципальные образования)?" in text(confirm)
    response = client.post(
        url(Municipality, "changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        follow=True,
    )
    assert messages_of(response) == ["Удалено: 2 муниципальных образования."]
    assert not Municipality.objects.exists()
    for name in ("Девятых", "Кентнер", "Иванова", "Петрова", "Сидорова"):
        make_member(name)
    members = client.get(url(Member, "changelist"))
    assert "5 участников Клуба" in text(members)
    assert "Удалить выбранных участников Клуба" in text(members)


def test_the_delete_page_asks_in_the_accusative(client, superuser):
    client.force_login(superuser)
    organization = make_organization("ЦБС удаления")
    page = client.get(url(Organization, "delete", organization.pk))
    assert f"Вы уверены, что хотите удалить организацию «{organization}»?" in text(page)


def test_the_history_page_and_a_missing_record_are_worded_whatever_the_gender(client, superuser):
    client.force_login(superuser)
    organization = make_organization("ЦБС истории")
    history = client.get(url(Organization, "history", organization.pk))
    assert f"<h1>История изменений: {organization}</h1>" in history.content.decode()
    missing = client.get(url(Member, "change", 999999), follow=True)
    assert messages_of(missing) == [
        "Записи с ID «999999» (участник Клуба) нет. Возможно, её удалили."
    ]
