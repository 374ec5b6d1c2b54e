"""Dates and years staff type lie between 1990 and 2100: in every form, and in the database.

A meeting dated 31.12.9999 was once accepted; published, it made /meetings/calendar.ics
answer 500 to everyone (its end, a day later, is past the calendar). Years and ids in the
addresses are tests/test_hostile_urls.py's.
"""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Meeting
from members.models import Member
from resolutions.models import Resolution, ResolutionProgress
from stats import services as stats_services
from stats.models import FormTemplate, ReportingPeriod
from tests.formscrape import form_data
from tests.helpers import make_meeting, make_resolution, make_user

pytestmark = pytest.mark.django_db

DATE_MESSAGE = "Укажите дату с 1 января 1990 г. по 31 декабря 2100 г."
YEAR_MESSAGE = "Укажите год от 1990 до 2100."


def admin_change(model, pk) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])


def post_changed(client, url, form_id, changes):
    data = form_data(client.get(url).content.decode(), form_id)
    data.update(changes)
    return client.post(url, data)


@pytest.mark.parametrize("typed", ["31.12.9999", "31.12.1989", "01.01.2101"])
def test_a_meeting_dated_outside_the_range_is_refused_with_a_message_and_not_saved(
    secretary_client, demo, typed
):
    before = (demo.date, demo.version)
    response = post_changed(
        secretary_client, admin_change(Meeting, demo.pk), "meeting_form", {"date": typed}
    )
    assert response.status_code == 200
    assert DATE_MESSAGE in response.content.decode()
    demo.refresh_from_db()
    assert (demo.date, demo.version) == before


def test_a_meeting_on_the_last_day_of_the_range_is_saved(secretary_client, demo):
    response = post_changed(
        secretary_client, admin_change(Meeting, demo.pk), "meeting_form", {"date": "31.12.2100"}
    )
    assert response.status_code == 302
    demo.refresh_from_db()
    assert demo.date == datetime.date(2100, 12, 31)


def test_the_calendar_answers_with_meetings_at_both_ends_of_the_range(client, db):
    for day in (datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)):
        make_meeting(day, title=f"Заседание {day.year}")
    response = client.get("/meetings/calendar.ics")
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    ends = sorted(event.decoded("dtend") for event in events)
    assert ends == [datetime.date(1990, 1, 2), datetime.date(2101, 1, 1)]


def _resolution(demo):
    return demo.resolutions.filter(kind=Resolution.Kind.DECISION).first()


# (page, the record's form id, the field, what is typed, the message, the stored value)
ADMIN_FORMS = {
    "resolution deadline": (
        lambda demo, root: admin_change(Resolution, _resolution(demo).pk),
        "resolution_form",
        "due_date",
        "31.12.9999",
        DATE_MESSAGE,
        lambda demo: _resolution(demo).due_date,
    ),
    "progress entry": (
        lambda demo, root: admin_change(
            ResolutionProgress,
            ResolutionProgress.objects.create(
                resolution=_resolution(demo), date=datetime.date(2021, 9, 1), text="Сделано."
            ).pk,
        ),
        "resolutionprogress_form",
        "date",
        "01.01.1900",
        DATE_MESSAGE,
        lambda demo: ResolutionProgress.objects.get().date,
    ),
    "member's date joined": (
        lambda demo, root: admin_change(Member, Member.objects.order_by("pk").first().pk),
        "member_form",
        "joined_on",
        "31.12.9999",
        DATE_MESSAGE,
        lambda demo: Member.objects.order_by("pk").first().joined_on,
    ),
    # Approval happens on its own page (an approved version is read-only): a draft's approval.
    "form's approval date": (
        lambda demo, root: reverse(
            "admin:stats_formtemplate_approve",
            args=[stats_services.form_copy(form=FormTemplate.objects.get(code="VS")).pk],
        ),
        "approve-form",
        "approved_on",
        "31.12.9999",
        DATE_MESSAGE,
        lambda demo: list(
            FormTemplate.objects.filter(code="VS").values_list("approved_on", "status")
        ),
    ),
    "reporting period's year": (
        lambda demo, root: admin_change(
            ReportingPeriod, ReportingPeriod.objects.create(year=2024, month=6).pk
        ),
        "reportingperiod_form",
        "year",
        "9999",
        YEAR_MESSAGE,
        lambda demo: ReportingPeriod.objects.get(month=6).year,
    ),
    "reporting period's due date": (
        lambda demo, root: admin_change(
            ReportingPeriod, ReportingPeriod.objects.create(year=2024, month=7).pk
        ),
        "reportingperiod_form",
        "due_date",
        "05.08.9999",
        DATE_MESSAGE,
        lambda demo: ReportingPeriod.objects.get(month=7).due_date,
    ),
}


@pytest.mark.parametrize("case", ADMIN_FORMS)
def test_a_date_or_year_outside_the_range_is_refused_on_every_admin_form(client, demo, case):
    page, form_id, field, typed, message, stored = ADMIN_FORMS[case]
    root = make_user("root-dates", superuser=True)
    client.force_login(root)
    url = page(demo, root)
    before = stored(demo)
    response = post_changed(client, url, form_id, {field: typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(message) == 1, html[:2000]
    assert stored(demo) == before


# (what is created, with which value out of range)
OUT_OF_RANGE = {
    "meeting date": lambda demo: Meeting.objects.filter(pk=demo.pk).update(
        date=datetime.date(9999, 12, 31)
    ),
    "meeting date before 1990": lambda demo: make_meeting(datetime.date(1989, 12, 31)),
    "resolution deadline": lambda demo: make_resolution(
        demo, 99, due_date=datetime.date(2101, 1, 1)
    ),
    "progress date": lambda demo: ResolutionProgress.objects.create(
        resolution=_resolution(demo), date=datetime.date(1, 1, 1), text="Сделано."
    ),
    "form approval date": lambda demo: FormTemplate.objects.filter(code="VS").update(
        approved_on=datetime.date(9999, 1, 1)
    ),
    "reporting year": lambda demo: ReportingPeriod.objects.create(year=30000, month=1),
    "reporting due date": lambda demo: ReportingPeriod.objects.create(
        year=2024, month=1, due_date=datetime.date(1980, 1, 5)
    ),
}


@pytest.mark.parametrize("case", OUT_OF_RANGE)
def test_the_database_refuses_dates_and_years_outside_the_range(demo, case):
    with pytest.raises(IntegrityError), transaction.atomic():
        OUT_OF_RANGE[case](demo)


def test_december_of_the_last_year_is_due_within_the_range():
    assert ReportingPeriod.default_due_date(2100, 12) == datetime.date(2100, 12, 31)
    assert ReportingPeriod.default_due_date(2100, 11) == datetime.date(2100, 12, 5)


def test_the_range_migrations_stop_and_name_a_record_already_out_of_range(demo):
    from django.apps import apps

    from kernel.migration_ops import refuse_out_of_range

    refuse_out_of_range("meetings", "Meeting", "date").code(apps, None)  # nothing to name
    # Meeting refuses such a date now; its history table has no check, as the old table had.
    record = demo.history.first()
    type(record).objects.filter(pk=record.pk).update(date=datetime.date(9999, 12, 31))
    with pytest.raises(RuntimeError, match=f"id {record.pk}: 9999-12-31"):
        refuse_out_of_range("meetings", "HistoricalMeeting", "date").code(apps, None)
