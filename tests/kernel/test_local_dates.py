"""Every date shown is the day in Novokuznetsk, also in the evening, when UTC (what the
database holds) is still on the day before. The clock is pinned to such an evening."""

import datetime
import html
import re

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from kernel import roles
from kernel.templatetags.portal import ru_date
from stats import services
from stats.models import Report
from tests.formscrape import form_data
from tests.helpers import (
    CLEAN_JUNE,
    LAST_JUNE,
    make_meeting,
    make_organization,
    make_report,
    make_user,
)

pytestmark = pytest.mark.django_db

# 19:30 UTC on 14 March is 02:30 on 15 March in Novokuznetsk (UTC+7).
EVENING_IN_UTC = datetime.datetime(2025, 3, 14, 19, 30, tzinfo=datetime.UTC)


def page_text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_a_moment_is_shown_by_its_day_in_novokuznetsk():
    with translation.override("ru"):
        assert ru_date(EVENING_IN_UTC) == "15 марта 2025 г."
        # A date is a date: the meeting's day does not move.
        assert ru_date(datetime.date(2021, 6, 23)) == "23 июня 2021 г."
        assert ru_date(None) == ""


def test_the_conflict_message_names_the_local_day_and_hour(client, secretary):
    with time_machine.travel(EVENING_IN_UTC - datetime.timedelta(days=1), tick=False):
        meeting = make_meeting()
        client.force_login(secretary)
        url = f"/admin/meetings/meeting/{meeting.pk}/change/"
        stale = form_data(client.get(url).content.decode(), "meeting_form")
    with time_machine.travel(EVENING_IN_UTC, tick=False):
        meeting.topic = "Тема, изменённая вечером"
        meeting.save()
        stale["topic"] = "Моя тема"
        response = client.post(url, stale)
    assert "эту запись (15 марта 2025, 02:30)" in page_text(response)


def test_the_review_page_shows_the_local_day_a_report_was_submitted(centre_methodist):
    cbs = make_organization("ЦБС Юргинского округа")
    make_report(cbs, 2024, 6, LAST_JUNE, status=Report.Status.ACCEPTED)
    june = make_report(cbs, 2025, 6, CLEAN_JUNE)
    with time_machine.travel(EVENING_IN_UTC, tick=False):
        services.report_submit(report=june, user=make_user("op", group=roles.LIBRARY_OPERATOR))
    client = Client()
    client.force_login(centre_methodist)
    assert "сдан 15 марта 2025, 02:30" in page_text(client.get(f"/stats/review/{june.pk}/"))
