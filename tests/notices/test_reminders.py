"""manage.py send_reminders: operators about reports, responsible persons about decisions;
each reminder once, however often the command runs."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from meetings.models import Meeting
from notices.models import DecisionContact, SentNotice
from resolutions.models import Resolution
from stats.models import Report, ReportTransition
from tests.helpers import (
    CLEAN_JUNE,
    make_meeting,
    make_operator,
    make_organization,
    make_report,
    make_resolution,
    make_user,
    pinned_clock,
)
from tests.minutes.test_pdf_background import run_worker

from .helpers import DATABASE_QUEUE, IMMEDIATE, letters_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.TASKS = IMMEDIATE
    settings.NOTICES_REPORT_DAYS = 3
    settings.NOTICES_DECISION_DAYS = 14


def send_reminders():
    call_command("send_reminders", verbosity=0)


@pytest.fixture
def yurga():
    return make_organization("ЦБС Юргинского округа")


@pytest.fixture
def operator(yurga):
    user = make_operator(yurga, "operator-yurga")
    user.email = "operator@yurga.example.ru"
    user.save(update_fields=["email"])
    return user


def subjects(address):
    return [m.subject for m in letters_to(address)]


def test_an_operator_hears_of_a_report_before_its_due_date_once(yurga, operator):
    with pinned_clock(2026, 5, 1):
        make_report(yurga, 2026, 3, CLEAN_JUNE, status=Report.Status.ACCEPTED)  # the first period
    with pinned_clock(2026, 5, 1):  # April is due on 5 May: four days ahead, not yet
        send_reminders()
    assert mail.outbox == []
    with pinned_clock(2026, 5, 2, hour=7):
        send_reminders()
        send_reminders()
    with pinned_clock(2026, 5, 3):
        send_reminders()
    assert subjects(operator.email) == ["Скоро срок отчёта за апрель 2026 г."]
    (letter,) = mail.outbox
    assert "Отчёт «Внестационарное обслуживание» за апрель 2026 г." in letter.body
    assert "нужно сдать до 5 мая 2026 г., а он ещё не сдан" in letter.body
    assert "http://127.0.0.1:8000/stats/reports/" in letter.body
    assert "List-Unsubscribe" not in letter.extra_headers  # a service letter of her role
    with pinned_clock(2026, 5, 6):
        send_reminders()
        send_reminders()
    assert subjects(operator.email) == [
        "Скоро срок отчёта за апрель 2026 г.",
        "Отчёт за апрель 2026 г. просрочен",
    ]
    with pinned_clock(2026, 5, 20):
        send_reminders()
    assert len(mail.outbox) == 2
    assert SentNotice.objects.count() == 2


def test_a_report_handed_in_needs_no_reminder(yurga, operator):
    with pinned_clock(2026, 5, 1):
        make_report(yurga, 2026, 3, CLEAN_JUNE, status=Report.Status.ACCEPTED)
        make_report(yurga, 2026, 4, CLEAN_JUNE, status=Report.Status.SUBMITTED)
    with pinned_clock(2026, 5, 10):
        send_reminders()
    assert mail.outbox == []


def test_a_returned_report_is_announced_once_per_return_with_the_centres_comment(yurga, operator):
    with pinned_clock(2026, 5, 1):
        make_report(yurga, 2026, 3, CLEAN_JUNE, status=Report.Status.ACCEPTED)
        april = make_report(yurga, 2026, 4, CLEAN_JUNE, status=Report.Status.RETURNED)
        Report.objects.filter(pk=april.pk).update(comment="Уточните число стоянок КИБО.")
        ReportTransition.objects.create(report=april, from_status="submitted", to_status="returned")
        send_reminders()
        send_reminders()
    (letter,) = letters_to(operator.email)
    assert letter.subject == "Отчёт за апрель 2026 г. возвращён на доработку"
    assert "Комментарий центра: Уточните число стоянок КИБО." in letter.body
    with pinned_clock(2026, 5, 2):
        # Returned a second time: one more letter.
        ReportTransition.objects.create(report=april, from_status="submitted", to_status="returned")
        send_reminders()
    assert len(letters_to(operator.email)) == 2


def test_an_operator_without_an_address_or_inactive_gets_nothing(yurga):
    make_operator(yurga, "no-address")
    inactive = make_operator(yurga, "inactive")
    inactive.email, inactive.is_active = "gone@example.ru", False
    inactive.save()
    with pinned_clock(2026, 5, 1):
        make_report(yurga, 2026, 3, CLEAN_JUNE, status=Report.Status.ACCEPTED)
    with pinned_clock(2026, 5, 10):
        send_reminders()
    assert mail.outbox == []


@pytest.fixture
def decision():
    meeting = make_meeting(datetime.date(2026, 4, 10))
    resolution = make_resolution(
        meeting,
        1,
        text="Провести конкурс профессионального мастерства.",
        responsible_person="Иванова М. П.",
        due_date=datetime.date(2026, 6, 1),
    )
    DecisionContact.objects.create(resolution=resolution, email="ivanova@example.ru")
    return resolution


def test_the_responsible_person_hears_before_the_deadline_and_when_it_is_overdue(decision):
    with pinned_clock(2026, 5, 17):  # 15 days ahead
        send_reminders()
    assert mail.outbox == []
    for day in (18, 19, 31):
        with pinned_clock(2026, 5, day):
            send_reminders()
            send_reminders()
    (due,) = mail.outbox
    assert due.to == ["ivanova@example.ru"]
    assert due.subject == "Срок выполнения решения Клуба — 1 июня 2026 г."
    assert "заседания Клуба от 10 апреля 2026 г., за которое вы отвечаете, — 1 июня 2026 г." in (
        due.body
    )
    assert "Провести конкурс профессионального мастерства." in due.body
    assert f"http://127.0.0.1:8000/resolutions/{decision.pk}/" in due.body
    for day in (2, 3, 30):
        with pinned_clock(2026, 6, day):
            send_reminders()
    assert [m.subject for m in mail.outbox] == [
        "Срок выполнения решения Клуба — 1 июня 2026 г.",
        "Срок решения Клуба прошёл",
    ]
    # A deadline moved later starts the reminders again.
    Resolution.objects.filter(pk=decision.pk).update(due_date=datetime.date(2026, 9, 1))
    with pinned_clock(2026, 8, 25):
        send_reminders()
    assert len(mail.outbox) == 3


def test_a_decision_done_or_of_draft_minutes_is_not_reminded(decision):
    Resolution.objects.filter(pk=decision.pk).update(status=Resolution.Status.DONE)
    draft = make_meeting(datetime.date(2026, 4, 11), status=Meeting.Status.DRAFT)
    other = make_resolution(draft, 1, due_date=datetime.date(2026, 5, 1))
    DecisionContact.objects.create(resolution=other, email="draft@example.ru")
    with pinned_clock(2026, 6, 10):
        send_reminders()
    assert mail.outbox == []


# The worker commits: a test of its own transactions (as tests/minutes' worker tests).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_only_queues_and_the_worker_sends_each_reminder_once(
    migrated_data, decision, settings
):
    settings.TASKS = DATABASE_QUEUE
    with pinned_clock(2026, 5, 20):
        send_reminders()
        send_reminders()  # before the worker ran: queued twice
        assert mail.outbox == []
        run_worker()
    assert len(mail.outbox) == 1
    assert SentNotice.objects.get().kind == SentNotice.Kind.DECISION_DUE


def test_an_address_gets_at_most_the_daily_limit(decision, settings):
    settings.NOTICES_DAILY_LIMIT = 1
    meeting = decision.meeting
    second = make_resolution(meeting, 2, due_date=datetime.date(2026, 6, 2))
    DecisionContact.objects.create(resolution=second, email="ivanova@example.ru")
    with pinned_clock(2026, 5, 20):
        send_reminders()
    assert len(mail.outbox) == 1
    with pinned_clock(2026, 5, 21, hour=13):
        send_reminders()
    assert len(mail.outbox) == 2


def test_the_sent_log_is_read_only_in_the_admin(client, decision):
    with pinned_clock(2026, 5, 20):
        send_reminders()
    client.force_login(make_user("admin", superuser=True))
    page = client.get("/admin/notices/sentnotice/")
    assert page.status_code == 200
    assert "ivanova@example.ru" in page.content.decode()
    notice = SentNotice.objects.get()
    assert client.get("/admin/notices/sentnotice/add/").status_code == 403
    change = client.get(f"/admin/notices/sentnotice/{notice.pk}/change/")
    assert change.status_code == 200
    assert 'name="recipient"' not in change.content.decode()


def test_without_a_mail_server_the_command_says_so_and_queues_nothing(decision, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    with pinned_clock(2026, 5, 20), pytest.raises(CommandError, match="No mail server"):
        send_reminders()
    assert SentNotice.objects.count() == 0
