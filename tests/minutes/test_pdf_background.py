"""Long minutes as a PDF rendered by a background task: the progress page, then the file."""

import datetime
import html
import re
import signal

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import kernel.pdf
from meetings.models import AgendaItem, Attendance, Meeting
from minutes.selectors import minutes_size
from minutes.tasks import render_minutes_pdf
from resolutions.models import Resolution
from tests.helpers import make_agenda_item, make_meeting, make_member, make_resolution

pytestmark = pytest.mark.django_db

THRESHOLD = 3
# What Firefox and Chromium send when they follow a link; wget and curl send «*/*».
BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _database_queue(settings):
    # What production runs, whatever DJANGO_DEBUG says; a few items already count as long.
    settings.TASKS = DATABASE_QUEUE
    settings.PDF_BACKGROUND_THRESHOLD = THRESHOLD


def pdf_tasks():
    """The queue's renders of minutes: publishing minutes queues their letters too (notices)."""
    return DBTaskResult.objects.filter(task_path="minutes.tasks.render_minutes_pdf")


def long_meeting(items: int = THRESHOLD + 1, **fields) -> Meeting:
    meeting = make_meeting(**fields)
    for n in range(1, items + 1):
        make_resolution(meeting, n, text=f"Продолжить работу по направлению {n}.")
    return meeting


def pdf_url(meeting: Meeting) -> str:
    return f"/meetings/{meeting.slug}/minutes.pdf"


def page_text(response) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text)


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def run_worker():
    """One pass of `manage.py db_worker --batch`: every waiting task, then it exits."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
        )
    finally:
        # The worker installs its own shutdown handlers; the test run keeps pytest's.
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def test_long_minutes_answer_with_a_progress_page_that_refreshes_itself(client):
    meeting = long_meeting()
    response = client.get(pdf_url(meeting), **BROWSER)
    assert response.status_code == 202
    assert response["Content-Type"].startswith("text/html")
    assert {"no-store", "private"} <= cache_directives(response)
    assert "Content-Disposition" not in response
    text = page_text(response)
    assert "PDF-файл протокола готовится" in text
    assert "В очереди: подготовка начнётся через несколько секунд." in text
    assert "как только файл будет готов, начнётся его загрузка" in text
    assert '<meta http-equiv="refresh" content="3">' in response.content.decode()
    assert "<script" not in response.content.decode()
    assert pdf_tasks().get().args_kwargs == {"args": [meeting.pk], "kwargs": {}}


def test_refreshing_the_page_does_not_enqueue_a_second_render(client):
    meeting = long_meeting()
    for _ in range(3):
        assert client.get(pdf_url(meeting), **BROWSER).status_code == 202
    assert pdf_tasks().count() == 1


def test_a_refresh_served_by_another_process_reuses_the_waiting_render(client):
    from django.core.cache import cache

    meeting = long_meeting()
    client.get(pdf_url(meeting), **BROWSER)
    # Each gunicorn worker has its own local-memory cache: the next refresh may land on one
    # that never saw the task. The database queue still knows it.
    cache.clear()
    assert client.get(pdf_url(meeting), **BROWSER).status_code == 202
    assert pdf_tasks().count() == 1


@pytest.mark.parametrize("items", [THRESHOLD + 1, THRESHOLD + 40])
def test_the_progress_page_costs_the_same_queries_for_any_length(
    client, django_assert_num_queries, items
):
    meeting = long_meeting(items)
    with django_assert_num_queries(11):
        # the meeting, the content version, the size, the minutes (6), the queue, the insert
        client.get(pdf_url(meeting), **BROWSER)
    with django_assert_num_queries(4):
        # a refresh: the meeting, the content version, the size and the task's state
        assert client.get(pdf_url(meeting), **BROWSER).status_code == 202


def test_wget_and_curl_get_503_with_retry_after_instead_of_a_page_saved_as_pdf(client):
    meeting = long_meeting()
    response = client.get(pdf_url(meeting), HTTP_ACCEPT="*/*")
    assert response.status_code == 503
    assert response["Retry-After"] == "3"
    assert "Accept" in response["Vary"]
    assert "PDF-файл протокола готовится" in page_text(response)
    assert pdf_tasks().count() == 1


def test_a_running_render_is_shown_as_such(client):
    meeting = long_meeting()
    client.get(pdf_url(meeting), **BROWSER)
    pdf_tasks().get().claim("worker-in-test")
    text = page_text(client.get(pdf_url(meeting), **BROWSER))
    assert "Идёт вёрстка файла." in text
    assert "В очереди" not in text


def test_a_render_waiting_for_minutes_suggests_the_worker_is_stopped(client):
    meeting = long_meeting()
    client.get(pdf_url(meeting), **BROWSER)
    assert "обработчик" not in page_text(client.get(pdf_url(meeting), **BROWSER))
    pdf_tasks().update(enqueued_at=timezone.now() - datetime.timedelta(minutes=5))
    text = page_text(client.get(pdf_url(meeting), **BROWSER))
    assert "ждёт в очереди больше двух минут" in text
    assert "сообщите администратору портала" in text


def test_the_task_renders_once_for_the_same_content(renders):
    meeting = long_meeting()
    first = render_minutes_pdf.call(meeting.pk)
    second = render_minutes_pdf.call(meeting.pk)
    assert len(renders) == 1
    assert first == second
    assert kernel.pdf.stored_pdf(first["key"]).startswith(b"%PDF-")


def test_a_file_already_rendered_is_served_without_a_task(client, renders):
    meeting = long_meeting()
    render_minutes_pdf.call(meeting.pk)
    response = client.get(pdf_url(meeting), **BROWSER)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert len(renders) == 1
    assert not pdf_tasks().exists()


def test_short_minutes_are_still_rendered_in_the_request(client):
    meeting = long_meeting(THRESHOLD)
    response = client.get(pdf_url(meeting), **BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert not pdf_tasks().exists()


# The probe's case: 2 MB of preamble rendered for 19 s inside the request.
LONG_TEXT = ("Опыт внестационарной работы библиотек Кузбасса. " * 42_000)[:2_000_000]


def long_text_meeting(where: str) -> Meeting:
    """Two items (fewer than the threshold of items), and a long text in one place."""
    meeting = make_meeting()
    make_resolution(meeting, 1, text="Продолжить работу.")
    item = make_resolution(meeting, 2, text="Обобщить опыт.")
    agenda = make_agenda_item(meeting, 1, "Опыт внестационарной работы")
    if where == "preamble":
        Meeting.objects.filter(pk=meeting.pk).update(preamble=LONG_TEXT)
    elif where == "agenda":
        AgendaItem.objects.filter(pk=agenda.pk).update(summary=LONG_TEXT)
    else:
        Resolution.objects.filter(pk=item.pk).update(text=LONG_TEXT)
    return meeting


@pytest.mark.parametrize("where", ["preamble", "agenda", "items"])
def test_long_text_with_few_items_goes_to_the_worker_and_the_progress_page(client, renders, where):
    meeting = long_text_meeting(where)
    response = client.get(pdf_url(meeting), **BROWSER)
    assert response.status_code == 202
    assert "PDF-файл протокола готовится" in page_text(response)
    assert pdf_tasks().get().args_kwargs == {"args": [meeting.pk], "kwargs": {}}
    assert renders == []  # the request rendered nothing


def test_a_normal_set_of_minutes_renders_in_the_request(client, demo, settings, renders):
    # The seed minutes, with the thresholds the portal ships with.
    settings.PDF_BACKGROUND_THRESHOLD = 60
    response = client.get(pdf_url(demo), **BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(renders) == 1
    assert not pdf_tasks().exists()


def test_minutes_one_character_over_the_size_setting_go_to_the_worker(
    client, settings, django_capture_on_commit_callbacks
):
    meeting = long_meeting(THRESHOLD, preamble="Вступительная часть.")
    settings.PDF_BACKGROUND_CHARACTERS = minutes_size(meeting).characters
    response = client.get(pdf_url(meeting), **BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"

    with django_capture_on_commit_callbacks(execute=True):  # the edit is public at once
        meeting.preamble += "!"
        meeting.save()
    assert client.get(pdf_url(meeting), **BROWSER).status_code == 202
    assert pdf_tasks().count() == 1


def test_the_size_of_minutes_counts_every_text_they_print_at_length():
    meeting = make_meeting(
        title="З" * 10,
        topic="Т" * 20,
        address="А" * 30,
        preamble="П" * 400,
        resolved_intro="У" * 50,
        decisions_intro="Р" * 60,
    )
    make_resolution(meeting, 1, text="Ё" * 700, responsible_person="О" * 8)
    make_resolution(meeting, 2, text="Е" * 90)
    AgendaItem.objects.create(
        meeting=meeting, order=1, title="В" * 5, speakers="Д" * 6, summary="С" * 7
    )
    member = make_member("Ф" * 11, first_name="И" * 3, patronymic="Н" * 4)
    Attendance.objects.create(meeting=meeting, member=member)
    Attendance.objects.create(meeting=meeting, guest_name="Г" * 12)
    size = minutes_size(meeting)
    assert size.items == 2
    assert size.characters == 10 + 20 + 30 + 400 + 50 + 60 + 708 + 90 + 18 + 18 + 12
    assert minutes_size(
        make_meeting(title="Пусто", topic="", resolved_intro="", decisions_intro="")
    ) == (type(size)(items=0, characters=5))


def test_a_long_draft_is_404_for_visitors_and_private_for_staff(client, secretary):
    draft = long_meeting(status=Meeting.Status.DRAFT)
    assert client.get(pdf_url(draft), **BROWSER).status_code == 404
    assert not pdf_tasks().exists()

    client.force_login(secretary)
    progress = client.get(pdf_url(draft), **BROWSER)
    assert progress.status_code == 202
    assert "private" in cache_directives(progress)

    rendered = long_meeting(date=datetime.date(2022, 6, 1), status=Meeting.Status.DRAFT)
    render_minutes_pdf.call(rendered.pk)
    response = client.get(pdf_url(rendered), **BROWSER)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert "private" in cache_directives(response)
    client.logout()
    assert client.get(pdf_url(rendered), **BROWSER).status_code == 404


def test_with_the_immediate_backend_long_minutes_come_in_the_request(client, settings):
    # The default with DJANGO_DEBUG=1, so that `make run` needs no worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    meeting = long_meeting()
    response = client.get(pdf_url(meeting), **BROWSER)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_the_worker_ran_the_same_address_serves_the_pdf(client, migrated_data, renders):
    meeting = long_meeting()
    assert client.get(pdf_url(meeting), **BROWSER).status_code == 202
    assert renders == []  # nothing rendered in the request

    run_worker()
    assert len(renders) == 1
    assert pdf_tasks().get().status == "SUCCESSFUL"
    response = client.get(pdf_url(meeting), **BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'filename="protokol-2022-05-18.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" not in cache_directives(response)
    etag = response["ETag"]
    assert client.get(pdf_url(meeting), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(pdf_url(meeting), HTTP_ACCEPT="*/*").content == response.content
    assert len(renders) == 1
    assert pdf_tasks().count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_render_says_so_and_can_be_tried_again(client, migrated_data, monkeypatch):
    meeting = long_meeting()
    real_render = kernel.pdf.render_pdf

    def broken_render(html: str) -> bytes:
        raise RuntimeError("the PDF engine crashed")

    monkeypatch.setattr(kernel.pdf, "render_pdf", broken_render)
    client.get(pdf_url(meeting), **BROWSER)
    run_worker()
    assert pdf_tasks().get().status == "FAILED"

    failed = client.get(pdf_url(meeting), **BROWSER)
    assert failed.status_code == 500
    text = page_text(failed)
    assert "Не удалось подготовить PDF-файл протокола" in text
    assert "Попробуйте ещё раз" in text
    assert "the PDF engine crashed" not in text  # no traceback for visitors
    body = failed.content.decode()
    assert f'href="{pdf_url(meeting)}?retry=1"' in body
    assert 'http-equiv="refresh"' not in body  # a failure is not retried unasked
    assert client.get(pdf_url(meeting), **BROWSER).status_code == 500
    assert pdf_tasks().count() == 1

    monkeypatch.setattr(kernel.pdf, "render_pdf", real_render)
    retry = client.get(f"{pdf_url(meeting)}?retry=1", **BROWSER)
    assert retry.status_code == 302
    assert retry["Location"] == pdf_url(meeting)
    assert pdf_tasks().count() == 2
    assert client.get(pdf_url(meeting), **BROWSER).status_code == 202
    run_worker()
    response = client.get(pdf_url(meeting), **BROWSER)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
