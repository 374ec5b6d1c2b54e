"""The report on open decisions: exactly the decisions not done or cancelled, by meeting in
date order and within each by deadline, on the page, in the PDF (poppler) and the Word file
(LibreOffice Writer); the overdue flag by the day in Novokuznetsk; drafts hidden from the
public; the agenda action that adds «О ходе выполнения решений…» once."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import formats

from chronicle.progress import progress_report
from demo.club import demo_load
from demo.statistics import demo_statistics_load
from meetings.models import Meeting
from resolutions.models import Resolution, ResolutionProgress
from stats.models import DecisionTarget, Indicator
from stats.region_figures import seasons
from tests.helpers import (
    make_meeting,
    make_organization,
    make_resolution,
    pinned_clock,
)

pytestmark = pytest.mark.django_db

URL = "/resolutions/progress/"
Status = Resolution.Status
DECISIONS = Resolution.Section.DECISIONS


def entry(resolution, date, text):
    # A note of what was done (no new status): saved as it is.
    return ResolutionProgress.objects.create(resolution=resolution, date=date, text=text)


def make_world():
    """Two published meetings and a draft, with decisions of every status.

    Expected order: the meeting of 2021 (one decision), then that of 2022 by deadline:
    1 June, 1 September, none (the lower number first)."""
    earlier = make_meeting(datetime.date(2021, 6, 23), title="Ежегодное заседание")
    later = make_meeting(datetime.date(2022, 4, 14), title="Заседание весной")
    draft = make_meeting(datetime.date(2022, 12, 1), title="Черновое", status=Meeting.Status.DRAFT)
    library = make_organization("Беловская ЦБС")
    rows = {
        "old": make_resolution(
            earlier, 1, section=DECISIONS, text="Старое решение о музее", due_date=None
        ),
        "old-done": make_resolution(
            earlier, 2, section=DECISIONS, text="Выполненное решение", status=Status.DONE
        ),
        "september": make_resolution(
            later,
            1,
            section=DECISIONS,
            text="Провести конкурс к сентябрю",
            due_date=datetime.date(2022, 9, 1),
            responsible_person="Иванова М.П.",
            to_library_systems=True,
        ),
        "no-date-2": make_resolution(
            later,
            2,
            section=DECISIONS,
            text="Решение без срока номер два",
            status=Status.IN_PROGRESS,
        ),
        "june": make_resolution(
            later,
            3,
            section=DECISIONS,
            text="Сдать отчёт к июню",
            due_date=datetime.date(2022, 6, 1),
        ),
        "no-date-4": make_resolution(later, 4, section=DECISIONS, text="Решение без срока четыре"),
        "cancelled": make_resolution(
            later, 5, section=DECISIONS, text="Отменённое решение", status=Status.CANCELLED
        ),
        "note": make_resolution(
            later, 1, kind=Resolution.Kind.NOTE, text="Отметить динамику посещений"
        ),
        "draft": make_resolution(draft, 1, section=DECISIONS, text="Решение черновика"),
    }
    rows["june"].responsible_organizations.add(library)
    for day in range(1, 5):
        entry(rows["no-date-2"], datetime.date(2022, 5, day), f"Сделан шаг {day}")
    return rows


PUBLIC_ORDER = ["old", "june", "september", "no-date-2", "no-date-4"]


def texts_in_order(text: str, rows, names) -> list[str]:
    """The names of the decisions whose texts the text holds, in the order it holds them."""
    found = [(text.find(rows[n].text), n) for n in names if rows[n].text in text]
    return [n for _at, n in sorted(found)]


def visible_text(html: str) -> str:
    """The page's words as a reader sees them: every tag a space."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def page_text(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return visible_text(response.content.decode())


# The page


def test_the_page_lists_the_open_decisions_by_meeting_and_deadline(client):
    rows = make_world()
    with pinned_clock(2022, 8, 15):
        text = page_text(client)
    assert texts_in_order(text, rows, rows) == PUBLIC_ORDER
    assert "Заседание 23 июня 2021 г.: Ежегодное заседание" in text
    assert text.index("23 июня 2021 г.: Ежегодное") < text.index("14 апреля 2022 г.: Заседание")
    assert "На 15 августа 2022 г.: 5 решений ещё не выполнены; 1 из них просрочено." in text


def test_the_public_copy_is_the_days_and_an_edit_renews_it(
    client, django_capture_on_commit_callbacks
):
    """The page cache keeps the public's copy for the day: the next day's visitor sees the
    deadline that passed at midnight, and an edit shows at once."""
    rows = make_world()
    with pinned_clock(2022, 6, 1, hour=23):
        assert "просрочено" not in page_text(client)
        assert client.get(URL)["X-Page-Cache"] == "hit"
    with pinned_clock(2022, 6, 2, hour=1):
        response = client.get(URL)
        assert "X-Page-Cache" not in response
        assert "1 из них просрочено" in visible_text(response.content.decode())
        rows["june"].text = "Провести семинар к июню, перенесённый"
        with django_capture_on_commit_callbacks(execute=True):
            rows["june"].save()
        assert "перенесённый" in page_text(client)


def test_the_page_names_who_answers_and_the_latest_progress(client):
    make_world()
    with pinned_clock(2022, 8, 15):
        text = page_text(client)
    assert "Ответственные организации Библиотечные системы области" in text
    assert "Ответственное лицо Иванова М.П." in text
    assert "Ответственные организации Беловская ЦБС" in text
    # The latest three entries, oldest first, and a link to the one before.
    assert "Сделан шаг 1" not in text
    steps = [text.index(f"Сделан шаг {n}") for n in (2, 3, 4)]
    assert steps == sorted(steps)
    assert "1 более ранняя запись" in text
    assert "Записей о ходе исполнения пока нет." in text


@pytest.mark.parametrize(
    ("day", "overdue"),
    [
        ((2022, 5, 31), []),
        ((2022, 6, 1), []),  # due today is not overdue yet
        ((2022, 6, 2), ["june"]),
        ((2022, 9, 2), ["june", "september"]),
    ],
)
def test_overdue_is_judged_by_the_day_in_novokuznetsk(day, overdue):
    rows = make_world()
    with pinned_clock(*day):
        report = progress_report(AnonymousUser())
    flagged = [d.resolution.pk for m in report.meetings for d in m.decisions if d.overdue]
    assert flagged == [rows[n].pk for n in overdue]


def test_the_day_turns_at_midnight_in_novokuznetsk_not_in_utc():
    rows = make_world()
    # 1 a.m. on 2 June in Novokuznetsk is still 1 June in UTC: the deadline has passed.
    with pinned_clock(2022, 6, 2, hour=1):
        report = progress_report(AnonymousUser())
    assert report.day == datetime.date(2022, 6, 2)
    assert [d.resolution.pk for m in report.meetings for d in m.decisions if d.overdue] == [
        rows["june"].pk
    ]


def test_a_drafts_decisions_are_for_staff_only(client, secretary):
    rows = make_world()
    with pinned_clock(2022, 8, 15):
        public = page_text(client)
        client.force_login(secretary)
        staff = client.get(URL)
    assert rows["draft"].text not in public
    assert "Черновое" not in public
    assert "private" in staff["Cache-Control"]
    text = visible_text(staff.content.decode())
    assert texts_in_order(text, rows, rows) == [*PUBLIC_ORDER, "draft"]
    assert "Заседание 1 декабря 2022 г.: Черновое черновик" in text


def test_with_nothing_open_the_page_says_so(client):
    meeting = make_meeting()
    make_resolution(meeting, 1, status=Status.DONE)
    assert "Все решения заседаний Клуба выполнены или отменены." in page_text(client)


def test_the_page_links_to_both_files_and_the_resolutions_list_to_the_page(client):
    make_world()
    page = client.get(URL).content.decode()
    assert 'href="/resolutions/progress.pdf"' in page
    assert 'href="/resolutions/progress.docx"' in page
    assert f'href="{URL}"' in client.get("/resolutions/").content.decode()


def test_the_sitemap_names_the_report(client):
    assert f"<loc>http://testserver{URL}</loc>" in client.get("/sitemap.xml").content.decode()


def open_archive(meetings: int, decisions: int):
    organization = make_organization()
    outdoor = Indicator.objects.get(code="VS.EVENTS.OUTDOOR")
    for m in range(meetings):
        meeting = make_meeting(datetime.date(2010 + m, 3, 1))
        for n in range(1, decisions + 1):
            item = make_resolution(
                meeting, n, due_date=datetime.date(2010 + m, 4, n) if n % 2 else None
            )
            item.responsible_organizations.add(organization)
            entry(item, datetime.date(2010 + m, 3, 2), "Сделано")
            entry(item, datetime.date(2010 + m, 3, 3), "Ещё сделано")
            DecisionTarget.objects.create(resolution=item, indicator=outdoor)


@pytest.mark.parametrize("size", [(1, 2), (6, 8)])
def test_the_page_reads_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    open_archive(*size)
    # The decisions with their meetings and entry counts, their organisations, their latest
    # entries (one window query), their indicators and the indicators' summers (stats),
    # whatever the number of meetings and decisions; and the content version the page
    # cache keys the day's copy by. The next visitor's copy comes from the cache: 1 query.
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert response.status_code == 200
    with django_assert_num_queries(1):
        assert client.get(URL)["X-Page-Cache"] == "hit"
    assert response.content.decode().count('class="py-2 border-bottom"') == size[0] * size[1]


# The figures of the indicators a decision aims to move


@pytest.fixture
def demo_figures(db):
    meeting = demo_load().meeting
    demo_statistics_load()
    note = meeting.resolutions.get(section=Resolution.Section.RESOLVED, number=2)
    DecisionTarget.objects.filter(resolution=note).delete()
    for code in ("VS.EVENTS.OUTDOOR", "VS.EVENT_ATT.OUTDOOR"):
        DecisionTarget.objects.create(resolution=note, indicator=Indicator.objects.get(code=code))
    return note


def grouped(value: int) -> str:
    # «2 597» with its no-break space, as the page's text (whitespace folded) reads it.
    return formats.number_format(value, force_grouping=True).replace("\xa0", " ")


def test_the_seed_note_on_outdoor_work_shows_the_last_summer_of_stats(client, demo_figures):
    summer = seasons()[2025]
    text = page_text(client)
    # The note with a task («…и продолжить работу…») is listed for its indicators: with no
    # deadline, as the seed's decisions, and «постановили» comes before them.
    decisions = demo_figures.meeting.resolutions.filter(section=Resolution.Section.DECISIONS)
    assert text.index(demo_figures.text) < min(text.index(d.text) for d in decisions)
    events = grouped(summer.values["outdoor_events"])
    attendance = grouped(summer.values["outdoor_attendance"])
    assert f"Мероприятия под открытым небом — лето 2025 года (июнь–август): {events} ед., " in text
    assert (
        f"Посещения мероприятий под открытым небом — лето 2025 года (июнь–август): {attendance}"
    ) in text
    assert text.count("% к предыдущему лету") == 2
    # The gratitude and the admission of the same minutes are not decisions.
    assert "Выразить благодарность" not in text
    assert "Ввести в состав Клуба" not in text
