"""Public pages of the meeting archive: content, drafts hidden, search, query counts."""

import datetime

import pytest
from django.db import connection

from meetings.models import Meeting
from meetings.services import meeting_unpublish
from tests.helpers import (
    make_agenda_item,
    make_archive,
    make_meeting,
    make_resolution,
    normalize,
    seed_sentences,
)

pytestmark = pytest.mark.django_db


def page_text(response):
    import html
    import re

    body = response.content.decode()
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/meetings/",
        "/meetings/2021-06-23/",
        "/meetings/2021-06-23/minutes.pdf",
        "/meetings/2021-06-23/minutes.xlsx",
        "/meetings/feed/",
        "/meetings/calendar.ics",
        "/meetings/2021-06-23/calendar.ics",
        "/resolutions/",
        "/resolutions/export.xlsx",
        "/members/",
        "/sitemap.xml",
    ],
)
def test_public_addresses_answer_200_with_the_demo(client, demo, url):
    assert client.get(url).status_code == 200


def test_meeting_page_holds_every_sentence_of_the_seed(client, demo):
    text = normalize(page_text(client.get("/meetings/2021-06-23/")))
    missing = [s for s in seed_sentences() if normalize(s) not in text]
    assert missing == []


def test_meeting_page_shows_date_format_venue_and_admitted_members_linked(client, demo):
    response = client.get("/meetings/2021-06-23/")
    html = response.content.decode()
    text = page_text(response)
    assert "23 июня 2021 г." in text
    assert "онлайн" in text
    assert "Государственная научная библиотека Кузбасса им. В.Д.Федорова" in text
    for admission in demo.resolutions.get(kind="admission").admissions.all():
        assert f'href="/members/{admission.member.pk}/"' in html
        assert admission.member.full_name in text
    assert 'href="/meetings/2021-06-23/minutes.pdf"' in html
    assert 'href="/meetings/2021-06-23/minutes.xlsx"' in html
    # The sections are headed in the minutes' own words (tests/minutes/test_section_headings.py).
    assert "постановили:" in text
    assert "По итогам мероприятия приняты следующие решения:" in text


def test_meeting_page_shows_decision_details(client):
    meeting = make_meeting(datetime.date(2024, 5, 1))
    from tests.helpers import make_organization

    org = make_organization("ЦБС Юргинского округа")
    decision = make_resolution(
        meeting,
        1,
        due_date=datetime.date(2024, 12, 1),
        responsible_person="Петрова А.А.",
    )
    decision.responsible_organizations.add(org)
    text = page_text(client.get(meeting.get_absolute_url()))
    assert "ЦБС Юргинского округа" in text
    assert "Петрова А.А." in text
    assert "1 декабря 2024 г." in text
    assert "принято" in text


def test_draft_meeting_and_its_files_are_hidden_from_the_public(client, secretary):
    draft = make_meeting(datetime.date(2025, 2, 2), status=Meeting.Status.DRAFT)
    make_resolution(draft, 1, text="Секретный черновик")
    for url in [
        draft.get_absolute_url(),
        f"{draft.get_absolute_url()}minutes.pdf",
        f"{draft.get_absolute_url()}minutes.xlsx",
        f"{draft.get_absolute_url()}calendar.ics",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        "/meetings/",
        "/meetings/feed/",
        "/meetings/calendar.ics",
        "/sitemap.xml",
        "/resolutions/",
        "/",
    ]:
        assert "Секретный черновик" not in client.get(url).content.decode()
        assert draft.slug not in client.get(url).content.decode()
    client.force_login(secretary)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_draft_pdf_the_secretary_downloaded_stays_hidden_from_the_public(client, secretary):
    draft = make_meeting(datetime.date(2025, 2, 2), status=Meeting.Status.DRAFT)
    make_resolution(draft, 1, text="Секретный черновик")
    url = f"{draft.get_absolute_url()}minutes.pdf"
    client.force_login(secretary)
    downloaded = client.get(url)
    assert downloaded.status_code == 200 and downloaded["Content-Type"] == "application/pdf"
    assert "private" in downloaded["Cache-Control"]
    client.logout()
    # The remembered key of a draft's PDF is never served without the visitor's check.
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_IF_NONE_MATCH=downloaded["ETag"]).status_code == 404


@pytest.mark.parametrize("size", [5, 200])
def test_a_repeated_pdf_download_reads_only_the_content_version(
    client, django_assert_num_queries, size
):
    meeting = make_archive(size)[-1]
    url = f"{meeting.get_absolute_url()}minutes.pdf"
    first = client.get(url)
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content


def test_published_meeting_answers_200(client):
    assert client.get(make_meeting().get_absolute_url()).status_code == 200


def test_archive_groups_by_year_newest_first(client):
    make_meeting(datetime.date(2019, 3, 1), topic="Старое заседание")
    make_meeting(datetime.date(2023, 3, 1), topic="Новое заседание")
    html = client.get("/meetings/").content.decode()
    assert html.index("2023") < html.index("2019")
    assert html.index("Новое заседание") < html.index("Старое заседание")


def test_archive_filters_by_year_kind_and_format(client):
    make_meeting(datetime.date(2019, 3, 1), topic="Очное", format="offline", kind="regular")
    make_meeting(datetime.date(2023, 3, 1), topic="Онлайн", format="online", kind="annual")
    assert "Очное" not in client.get("/meetings/", {"year": 2023}).content.decode()
    assert "Онлайн" in client.get("/meetings/", {"year": 2023}).content.decode()
    assert "Онлайн" not in client.get("/meetings/", {"format": "offline"}).content.decode()
    assert "Очное" not in client.get("/meetings/", {"kind": "annual"}).content.decode()


def test_archive_search_finds_agenda_and_resolution_text_case_insensitively(client):
    meeting = make_meeting(datetime.date(2022, 1, 1), topic="Одна тема")
    make_agenda_item(meeting, 1, "Статистический учёт")
    other = make_meeting(datetime.date(2022, 2, 1), topic="Другая тема")
    make_resolution(other, 1, text="Провести конкурс профессионального мастерства")
    html = client.get("/meetings/", {"q": "КОНКУРС"}).content.decode()
    assert "Другая тема" in html and "Одна тема" not in html
    html = client.get("/meetings/", {"q": "статистический"}).content.decode()
    assert "Одна тема" in html and "Другая тема" not in html


def test_archive_search_understands_russian_word_forms_and_yo(client):
    make_meeting(datetime.date(2022, 1, 1), title="Заседание", topic="Школа методиста")
    make_meeting(datetime.date(2022, 2, 1), title="Заседание", topic="Летнее чтение")
    other = make_meeting(datetime.date(2022, 3, 1), title="Заседание", topic="Третья тема")
    make_agenda_item(other, 1, "Статистический учёт в ЦБС")
    html = client.get("/meetings/", {"q": "методисты"}).content.decode()
    assert "Школа методиста" in html and "Летнее чтение" not in html
    html = client.get("/meetings/", {"q": "учет"}).content.decode()
    assert "Третья тема" in html and "Школа методиста" not in html


def test_archive_is_paginated(client):
    make_archive(25, resolutions_each=1)
    first = client.get("/meetings/").content.decode()
    second = client.get("/meetings/", {"page": 2}).content.decode()
    assert "Страница 1 из 2" in first
    assert first.count('class="py-2 border-bottom"') == 20
    assert second.count('class="py-2 border-bottom"') == 5


@pytest.mark.parametrize("size", [5, 200])
def test_archive_query_count_does_not_grow(client, django_assert_num_queries, size):
    make_archive(size)
    # content version (page cache), count, page, years for the filter
    with django_assert_num_queries(4):
        client.get("/meetings/")


@pytest.mark.parametrize("size", [5, 200])
def test_meeting_page_query_count_does_not_grow(client, django_assert_num_queries, size):
    meetings = make_archive(size)
    # content version, meeting, agenda, attendance, items, organisations, admissions, files
    with django_assert_num_queries(8):
        client.get(f"/meetings/{meetings[-1].slug}/")


@pytest.mark.parametrize("size", [5, 200])
def test_home_query_count_does_not_grow(client, django_assert_num_queries, size):
    make_archive(size)
    # content version, latest meeting, its two counts, open decisions, their organisations
    with django_assert_num_queries(6):
        client.get("/")


def test_feed_and_calendar_list_published_meetings(client, demo):
    feed = client.get("/meetings/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Практика методической работы" in feed.content.decode()
    ics = client.get("/meetings/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "DTSTART;VALUE=DATE:20210623" in body
    assert "BEGIN:VEVENT" in body


def test_sitemap_lists_published_meetings(client, demo):
    body = client.get("/sitemap.xml").content.decode()
    assert "/meetings/2021-06-23/" in body


def test_home_shows_latest_meeting_and_open_decisions(client, demo):
    text = page_text(client.get("/"))
    assert "Практика методической работы" in text
    assert "Обеспечить регламентацию учетной политики" in text


def test_overdue_decisions_are_marked(client):
    meeting = make_meeting(datetime.date(2020, 1, 1))
    make_resolution(meeting, 1, text="Просроченное решение", due_date=datetime.date(2020, 6, 1))
    assert "просрочено" in page_text(client.get("/"))


def test_unknown_page_is_a_russian_404(client, db):
    response = client.get("/meetings/1999-01-01/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes exist on PostgreSQL")
def test_search_uses_the_gin_indexes_on_postgresql():
    from meetings.models import Meeting
    from minutes.selectors import search_meetings

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%search%%'")
        names = {row[0] for row in cursor.fetchall()}
        # The stored vectors' indexes (kernel.migration_ops.postgres_search_vector).
        assert names == {
            "meetings_meeting_search_vector",
            "meetings_agendaitem_search_vector",
            "resolutions_resolution_search_vector",
            "members_member_search_vector",
        }
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = search_meetings(Meeting.objects.all(), "методист").explain()
    assert "meetings_meeting_search_vector" in plan
    assert "meetings_agendaitem_search_vector" in plan
    assert "resolutions_resolution_search_vector" in plan


def test_minutes_pdf_is_cached_and_answers_304(client, demo, monkeypatch):
    from kernel import pdf

    first = client.get("/meetings/2021-06-23/minutes.pdf")
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert 'filename="protokol-2021-06-23.pdf"' in first["Content-Disposition"]
    etag, modified = first["ETag"], first["Last-Modified"]
    # Published minutes: anyone may keep a copy, but must ask again before reusing it.
    assert first["Cache-Control"] == "max-age=0"

    def no_render(html):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf, "render_pdf", no_render)
    again = client.get("/meetings/2021-06-23/minutes.pdf")
    assert again.content == first.content
    assert (
        client.get("/meetings/2021-06-23/minutes.pdf", HTTP_IF_NONE_MATCH=etag).status_code == 304
    )
    assert (
        client.get("/meetings/2021-06-23/minutes.pdf", HTTP_IF_MODIFIED_SINCE=modified).status_code
        == 304
    )


def test_an_edit_gives_a_new_pdf(client, demo, django_capture_on_commit_callbacks):
    first = client.get("/meetings/2021-06-23/minutes.pdf")["ETag"]
    item = demo.resolutions.first()
    with django_capture_on_commit_callbacks(execute=True):
        item.text += " Дополнение."
        item.save()
    response = client.get("/meetings/2021-06-23/minutes.pdf", HTTP_IF_NONE_MATCH=first)
    assert response.status_code == 200
    assert response["ETag"] != first


def test_minutes_xlsx_downloads_as_a_workbook(client, demo):
    import io

    import openpyxl

    response = client.get("/meetings/2021-06-23/minutes.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Протокол",
        "Пункты протокола",
        "Повестка",
        "Присутствовали",
        "Приняты в Клуб",
    ]


def test_attachment_is_served_as_a_download_and_hidden_for_drafts(client, settings):
    from django.core.files.base import ContentFile

    from meetings.models import MeetingAttachment

    meeting = make_meeting(datetime.date(2023, 4, 4))
    item = MeetingAttachment(meeting=meeting, title="Презентация", kind="presentation")
    item.file = ContentFile(b"%PDF-1.4 test", name="slides.html")
    item.save()
    # stored under a non-guessable name whose extension comes from the content
    assert item.file.name.endswith(".pdf") and "slides" not in item.file.name
    html = client.get(meeting.get_absolute_url()).content.decode()
    url = f"{meeting.get_absolute_url()}files/{item.pk}/"
    assert url in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    meeting_unpublish(meeting=meeting)
    assert client.get(url).status_code == 404


def test_public_pages_are_served_from_cache_until_something_changes(
    client, demo, django_assert_num_queries
):
    first = client.get("/meetings/2021-06-23/")
    assert "X-Page-Cache" not in first
    with django_assert_num_queries(1):  # only the content version
        again = client.get("/meetings/2021-06-23/")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    from kernel.pagecache import bump_content_version

    item = demo.resolutions.first()
    item.text = "Исправленный текст пункта"
    item.save()
    bump_content_version()  # what the commit of that save does outside a test transaction
    fresh = client.get("/meetings/2021-06-23/")
    assert "X-Page-Cache" not in fresh
    assert "Исправленный текст пункта" in fresh.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_edit_invalidates_the_cache(client, migrated_data):
    from kernel.pagecache import content_version

    before = content_version()
    make_meeting(datetime.date(2024, 2, 2))
    assert content_version() > before
