"""/search/: one Russian search over published meetings, their items and public members."""

import datetime
import html
import re

import pytest

from meetings.models import Meeting
from resolutions.models import Resolution
from tests.helpers import (
    admit,
    make_agenda_item,
    make_archive,
    make_meeting,
    make_member,
    make_resolution,
)

pytestmark = pytest.mark.django_db

SKY_ITEM = "продолжить работу по развитию библиотечного обслуживания населения"


def search(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def text_of(body: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def section(body: str, anchor: str) -> str:
    """The HTML of one result group («found-meetings», «found-resolutions», «found-members»)."""
    match = re.search(rf'<section aria-labelledby="{anchor}".*?</section>', body, re.S)
    return match.group() if match else ""


@pytest.mark.parametrize("query", ["открытое небо", "открытым небом", "под открытым небом"])
def test_the_three_sky_phrases_find_the_same_decision(client, demo, query):
    sky = Resolution.objects.get(meeting=demo, text__contains="под открытым небом")
    body = search(client, query)
    found = section(body, "found-resolutions")
    assert f'href="{sky.get_absolute_url()}"' in found
    assert "<mark>открытым</mark> <mark>небом</mark>" in found
    assert SKY_ITEM in text_of(found)
    # Only the item that says it: the others of the seed minutes do not.
    assert found.count('href="/resolutions/') == 1
    # The meeting's preamble speaks of «площадках под открытым небом» as well.
    assert f'href="{demo.get_absolute_url()}"' in section(body, "found-meetings")


@pytest.mark.parametrize("query", ["Федорова", "Фёдорова", "ФЁДОРОВА", "федоровой"])
def test_e_and_yo_are_one_letter_both_ways(client, query):
    meeting = make_meeting(topic="Лекторий")
    with_yo = make_resolution(meeting, 1, text="Поблагодарить библиотеку им. В.Д. Фёдорова.")
    without = make_resolution(meeting, 2, text="Передать отчёт в библиотеку им. В.Д. Федорова.")
    make_resolution(meeting, 3, text="Провести конкурс.")
    found = section(search(client, query), "found-resolutions")
    assert f'href="{with_yo.get_absolute_url()}"' in found
    assert f'href="{without.get_absolute_url()}"' in found
    assert found.count('href="/resolutions/') == 2
    assert "<mark>Фёдорова</mark>" in found and "<mark>Федорова</mark>" in found


@pytest.mark.parametrize(
    "query", ["Исаенкова", "Исаенковой", "Исаенкову", "исаенковою", "ИСАЕНКОВА Анна"]
)
def test_a_surname_in_any_case_finds_the_member(client, query):
    member = make_member("Исаенкова", first_name="Анна", patronymic="Владимировна", is_founder=True)
    make_member("Никулина", first_name="Вера", is_founder=True)
    found = section(search(client, query), "found-members")
    assert f'href="{member.get_absolute_url()}"' in found
    assert "<mark>Исаенкова</mark>" in found
    assert "Никулина" not in found


def test_indeclinable_surnames_and_the_seed_members_are_found(client, demo):
    for query, name in [("Девятых", "Девятых"), ("Кентнер", "Кентнер"), ("Андреевой", "Андреева")]:
        found = text_of(section(search(client, query), "found-members"))
        assert name in found, query


def test_nothing_of_a_draft_is_found(client):
    draft = make_meeting(
        datetime.date(2024, 2, 1), status=Meeting.Status.DRAFT, topic="Черновая звёздная тема"
    )
    make_agenda_item(draft, 1, "Звёздная повестка")
    item = make_resolution(draft, 1, text="Звёздное решение черновика.")
    hidden = make_member("Звездина", first_name="Ольга")
    admit(item, hidden)
    published = make_meeting(datetime.date(2024, 3, 1), topic="Открытая тема")
    make_resolution(published, 1, text="Звёздное решение опубликованного протокола.")
    for query in ("звёздный", "черновик", "Звездина", "повестка звёздная"):
        body = search(client, query)
        assert "Черновая" not in body and "черновика" not in body, query
        assert draft.get_absolute_url() not in body
        assert f'href="{item.get_absolute_url()}"' not in body
        assert "Звездина" not in text_of(body).replace(f"«{query}»", ""), query
    assert "опубликованного протокола" in text_of(search(client, "звёздный"))


def test_personal_data_is_never_searched_or_shown(client):
    member = make_member(
        "Тайнова",
        first_name="Ирина",
        is_founder=True,
        email="tainova.private@example.ru",
        phone="+7 900 123-45-67",
        position="главный методист",
    )
    body = search(client, "Тайнова")
    assert member.get_absolute_url() in body and "главный методист" in text_of(body)
    assert "tainova.private" not in body and "123-45-67" not in body
    for query in ("tainova.private@example.ru", "tainova", "123-45-67", "example"):
        assert member.get_absolute_url() not in search(client, query), query


def test_data_and_query_are_escaped(client):
    meeting = make_meeting(topic="<b>Тема</b> небо")
    make_resolution(meeting, 1, text='<script>alert("небо")</script> Работа под небом.')
    body = search(client, '<script>alert("небо")</script>')
    found = section(body, "found-resolutions")
    assert "<script>" not in body
    assert "&lt;<mark>script</mark>&gt;<mark>alert</mark>(&quot;<mark>небо</mark>" in found
    assert "<mark>небом</mark>" in found
    body = search(client, "<b>небо</b>")
    assert "<b>" not in body
    assert "&lt;<mark>b</mark>&gt;Тема&lt;/<mark>b</mark>&gt; <mark>небо</mark>" in body
    assert 'value="&lt;b&gt;небо&lt;/b&gt;"' in body


def test_an_empty_query_and_a_query_without_results_are_explained(client, db):
    assert "Введите слово или фразу" in text_of(search(client, ""))
    assert "Введите слово или фразу" in text_of(search(client, "   "))
    body = text_of(search(client, "кракозябра"))
    assert "По запросу «кракозябра» ничего не найдено." in body
    body = text_of(search(client, "под и в"))
    assert "нет слов, по которым можно искать" in body


def test_a_heading_match_ranks_above_one_in_the_text(client):
    in_text = make_meeting(
        datetime.date(2024, 5, 1), topic="Летние чтения", preamble="Говорили о статистике."
    )
    in_topic = make_meeting(datetime.date(2020, 5, 1), topic="Статистика библиотек")
    found = section(search(client, "статистика"), "found-meetings")
    # The older meeting first: the word is its topic, the newer one has it in the preamble.
    assert found.index(in_topic.get_absolute_url()) < found.index(in_text.get_absolute_url())


def test_a_group_is_capped_and_links_to_its_full_list(client):
    make_archive(3, resolutions_each=10)
    body = search(client, "продолжить работу")
    found = section(body, "found-resolutions")
    assert len(re.findall(r'href="/resolutions/\d+/"', found)) == 20
    assert "Показаны первые 20 из 30." in text_of(found)
    assert 'href="/resolutions/?q=%D0%BF%D1%80%D0%BE%D0%B4' in found


def test_edited_texts_are_found_by_their_new_words(client):
    meeting = make_meeting(topic="Старая тема")
    item = make_resolution(meeting, 1, text="Провести конкурс.")
    item.text = "Организовать флешмоб во дворах."
    item.save(update_fields=["text"])
    meeting.topic = "Новая тема"
    meeting.save()
    assert item.get_absolute_url() in search(client, "флешмобы")
    assert item.get_absolute_url() not in search(client, "конкурс")
    assert meeting.get_absolute_url() in search(client, "новой темы")


def test_the_header_links_to_the_search(client, db):
    assert 'href="/search/"' in client.get("/").content.decode()


@pytest.mark.parametrize("size", [5, 200])
def test_search_query_count_does_not_grow(client, django_assert_num_queries, size):
    make_archive(size, resolutions_each=5)
    make_member("Протоколова", position="секретарь заседаний", is_founder=True)
    # content version; meetings: page, their agenda, count; items: page, count;
    # members: page, count
    with django_assert_num_queries(8):
        body = search(client, "заседание")
    for group in ("found-meetings", "found-resolutions", "found-members"):
        assert "<mark>" in section(body, group), group
