"""«Загрузить протокол» in the admin, as the secretary uses it: upload or paste, check the
draft beside the document, confirm (one transaction) or cancel (nothing left behind)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intake.samples import minutes_docx, minutes_text
from kernel import roles
from meetings.models import Meeting, MeetingAttachment
from members.models import Member, Organization
from resolutions.models import Admission, Resolution
from tests.formscrape import form_data
from tests.helpers import make_member, make_user
from tests.minutes.test_import_minutes import BAD_DOCUMENTS, SEED

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/meetings/meeting/import/"


@pytest.fixture
def secretary(client):
    user = make_user("sekretar", group=roles.SECRETARY, password="Sekretar-2026!")
    client.force_login(user)
    return client


def upload(client, content: bytes, name: str = "protokol.docx"):
    return client.post(UPLOAD, {"document": SimpleUploadedFile(name, content)})


def review_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert re.fullmatch(r"/admin/meetings/meeting/import/[\w-]+/", response.url), response.url
    return response.url


def confirm(client, url: str, **changes):
    page = client.get(url)
    data = form_data(page.content.decode(), "intake-review")
    for name, value in changes.items():
        data[name] = value
    data["confirm"] = "1"
    return client.post(url, data)


def saved_nothing(count_of_organizations: int):
    assert not Meeting.objects.exists()
    assert not Member.objects.exists()
    assert not Resolution.objects.exists()
    assert Organization.objects.count() == count_of_organizations
    assert not MeetingAttachment.objects.exists()


def test_the_meetings_list_offers_the_upload(secretary):
    page = secretary.get("/admin/meetings/meeting/")
    assert page.status_code == 200
    assert f'href="{UPLOAD}"' in page.content.decode()
    assert "Загрузить протокол" in page.content.decode()
    form = secretary.get(UPLOAD)
    assert form.status_code == 200
    assert "Текст протокола" in form.content.decode() or "текст протокола" in form.content.decode()


def test_an_operator_cannot_open_it(client):
    client.force_login(make_user("operator", staff=True))
    assert client.get(UPLOAD).status_code == 403


@pytest.mark.parametrize("kind", ["docx", "txt", "pasted"])
def test_the_seed_unedited_becomes_the_draft(secretary, catalogue, kind):
    if kind == "pasted":
        response = secretary.post(UPLOAD, {"text": SEED})
    elif kind == "docx":
        response = upload(secretary, minutes_docx(SEED))
    else:
        response = upload(secretary, SEED.encode(), "protokol.txt")
    url = review_url(response)
    review = secretary.get(url)
    text = review.content.decode()
    # The document on one side, the draft on the other, the matches marked; nothing saved yet.
    assert "Ввести в состав Клуба" in text
    assert 'value="Девятых"' in text and 'value="Ирина"' in text
    assert "найдено" in text
    saved_nothing(catalogue)

    done = confirm(secretary, url)
    meeting = Meeting.objects.get()
    assert done.status_code == 302 and done.url == f"/admin/meetings/meeting/{meeting.pk}/change/"
    assert meeting.status == Meeting.Status.DRAFT and meeting.slug == "2021-06-23"
    assert meeting.venue.short_name == "ГНБК им. В.Д. Федорова"
    kinds = list(meeting.resolutions.order_by("section", "number").values_list("kind", flat=True))
    assert kinds == ["gratitude", "note", "admission", "decision", "decision", "decision"]
    assert sorted(
        (
            a.member.last_name,
            a.member.first_name,
            a.member.patronymic,
            a.member.organization.short_name,
        )
        for a in Admission.objects.select_related("member__organization")
    ) == sorted(
        [
            ("Девятых", "Ирина", "Анатольевна", "МИБС г. Новокузнецка"),
            ("Кентнер", "Наталья", "Евгеньевна", "Полысаевская ЦБС"),
            ("Андреева", "Елена", "Александровна", "ЦБС Киселевского городского округа"),
            ("Исаенкова", "Анна", "Владимировна", "МИБС г. Кемерово"),
        ]
    )
    assert Organization.objects.count() == catalogue
    # The item texts as written: the seed's sentences, ё and «ёлочки» included.
    for resolution in meeting.resolutions.all():
        assert resolution.text in SEED
    assert MeetingAttachment.objects.count() == (1 if kind == "docx" else 0)
    # The upload is forgotten: its screen cannot save a second meeting.
    again = secretary.post(url, {"confirm": "1"})
    assert again.status_code == 302 and again.url == UPLOAD
    assert Meeting.objects.count() == 1


def test_the_success_message_counts_what_was_created(secretary, catalogue):
    url = review_url(upload(secretary, minutes_docx(SEED)))
    done = confirm(secretary, url)
    page = secretary.get(done.url).content.decode()
    assert "новых членов Клуба — 4" in page
    assert "новых организаций — 0" in page


def test_cancelling_leaves_nothing_behind(secretary, catalogue):
    url = review_url(upload(secretary, minutes_docx(SEED)))
    cancelled = secretary.post(url, {"cancel": "1"})
    assert cancelled.status_code == 302 and cancelled.url == "/admin/meetings/meeting/"
    assert "ничего не сохранено" in secretary.get(cancelled.url).content.decode()
    saved_nothing(catalogue)
    assert not secretary.session.get("minutes_intake")


def test_an_existing_member_is_offered_not_duplicated(secretary, catalogue):
    novokuznetsk = Organization.objects.get(short_name="МИБС г. Новокузнецка")
    existing = make_member(
        "Девятых", first_name="Ирина", patronymic="Анатольевна", organization=novokuznetsk
    )
    url = review_url(upload(secretary, minutes_docx(SEED)))
    text = secretary.get(url).content.decode()
    assert re.search(rf'<option value="{existing.pk}" selected>Девятых Ирина Анатольевна', text)
    assert "найден" in text
    confirm(secretary, url)
    assert Member.objects.filter(last_name="Девятых").count() == 1
    assert Admission.objects.filter(member=existing).exists()


def test_every_field_is_editable_and_the_edit_is_saved(secretary, catalogue):
    url = review_url(upload(secretary, minutes_docx(SEED)))
    data = form_data(secretary.get(url).content.decode(), "intake-review")
    person = next(k for k, v in data.items() if k.endswith("-last_name") and v == "Кентнер")
    prefix = person.removesuffix("last_name")
    kemerovo = Organization.objects.get(short_name="МИБС г. Кемерово")
    confirm(
        secretary,
        url,
        **{
            "meeting-topic": "Исправленная тема",
            f"{prefix}first_name": "Наталия",
            f"{prefix}organization": str(kemerovo.pk),
            "items-0-kind": "other",
            "items-5-text": "Текст решения, исправленный секретарём.\r\nВторая строка.",
        },
    )
    meeting = Meeting.objects.get()
    assert meeting.topic == "Исправленная тема"
    kentner = Member.objects.get(last_name="Кентнер")
    assert kentner.first_name == "Наталия" and kentner.organization == kemerovo
    items = list(meeting.resolutions.order_by("section", "number"))
    assert items[0].kind == "other"
    assert items[5].text == "Текст решения, исправленный секретарём.\nВторая строка."


def test_a_wrong_review_keeps_what_was_typed_and_saves_nothing(secretary, catalogue):
    url = review_url(upload(secretary, minutes_docx(SEED)))
    data = form_data(secretary.get(url).content.decode(), "intake-review")
    person = next(k for k, v in data.items() if k.endswith("-last_name") and v == "Андреева")
    prefix = person.removesuffix("last_name")
    data.update(
        {
            "meeting-topic": "Тема, которую не потерять",
            "items-1-number": "1",  # the same number as item 1 of «постановили»
            f"{prefix}organization": "",
            f"{prefix}new_organization": "",
            "confirm": "1",
        }
    )
    refused = secretary.post(url, data)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Тема, которую не потерять" in text
    assert "Выберите организацию нового участника" in text
    saved_nothing(catalogue)
    data[f"{prefix}new_organization"] = "Новая библиотека"
    refused = secretary.post(url, data)
    assert "дважды" in refused.content.decode()
    saved_nothing(catalogue)


@pytest.mark.parametrize(("name", "content", "message"), BAD_DOCUMENTS)
def test_a_bad_document_is_refused_in_russian(secretary, catalogue, name, content, message):
    response = upload(secretary, content(), name)
    assert response.status_code == 200
    text = response.content.decode()
    errors = re.search(r'<div class="errornote" role="alert">(.*?)</div>', text, re.S)
    assert errors, text[:3000]
    assert message in errors.group(1).lower()
    assert re.search("[а-я]{4}", errors.group(1))
    saved_nothing(catalogue)


def test_pasted_text_that_cannot_be_read_is_kept_in_the_form(secretary, catalogue):
    response = secretary.post(UPLOAD, {"text": "Протокол заседания\nОбсудили опыт работы."})
    text = response.content.decode()
    assert "нумер" in text.lower()
    assert "Обсудили опыт работы." in text
    saved_nothing(catalogue)


def test_nothing_chosen_is_asked_for(secretary):
    response = secretary.post(UPLOAD, {})
    assert "Выберите файл протокола или вставьте его текст" in response.content.decode()


@pytest.mark.parametrize("items", [20, 200])
def test_the_review_screen_costs_the_same_queries_at_any_size(
    secretary, catalogue, django_assert_num_queries, items
):
    url = review_url(upload(secretary, minutes_text(items).encode(), "protokol.txt"))
    # Session, user and its two permission reads; the catalogue the intake matches against
    # (organisations, members, the region's library systems); the forms' choices
    # (organisations, members): the same nine for any number of items.
    with django_assert_num_queries(9):
        page = secretary.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('class="intake-item"') == items


def test_the_review_screen_without_its_upload_says_so(secretary):
    response = secretary.get("/admin/meetings/meeting/import/no-such-token/")
    assert response.status_code == 302 and response.url == UPLOAD
    assert "больше не открыта" in secretary.get(UPLOAD).content.decode()


def test_the_screen_does_not_leak_into_the_file_store(secretary, catalogue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = review_url(upload(secretary, minutes_docx(SEED)))
    secretary.post(url, {"cancel": "1"})
    # The document lived only in the session: no file was written.
    assert not any(tmp_path.rglob("*.docx"))


def test_every_library_system_is_offered_as_the_groups_tick(secretary, catalogue):
    from tests.minutes.test_import_minutes import GROUP_MINUTES

    url = review_url(secretary.post(UPLOAD, {"text": GROUP_MINUTES}))
    text = secretary.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="items-0-to_library_systems"[^>]*checked', text)
    assert not re.search(r'name="items-1-to_library_systems"[^>]*checked', text)
    confirm(secretary, url)
    first = Resolution.objects.get(number=1)
    assert first.to_library_systems and not first.responsible_organizations.exists()


def test_a_member_admitted_before_is_refused_on_the_review_screen(secretary, catalogue):
    first = review_url(upload(secretary, minutes_docx(SEED)))
    confirm(secretary, first)
    second = review_url(upload(secretary, minutes_docx(SEED)))
    refused = confirm(secretary, second)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "уже принят" in text and "Кентнер Наталья Евгеньевна" in text
    assert Meeting.objects.count() == 1
