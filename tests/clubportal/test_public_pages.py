"""Every public page as the Nu HTML checker reads it (0 errors), with a description of its
own in <meta name="description">; the sitemap names each public section."""

import re
from html import unescape

import pytest

from demo.club import demo_load
from demo.statistics import demo_statistics_load
from kernel import roles
from meetings.models import Attendance
from tests.helpers import make_user

pytestmark = pytest.mark.django_db  # nu_report renders the pages from the test database

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
# The base template's sentence: the pages that have no more particular one say it.
DEFAULT_START = "Клуб деловых встреч методистов Кузбасса: протоколы заседаний"


def public_urls() -> dict[str, str]:
    meeting = demo_load().meeting
    demo_statistics_load()
    item = meeting.resolutions.get(section=2, number=1)
    # The note of the outdoor work, with the summers of the figures it aims to move.
    note = meeting.resolutions.get(section=1, number=2)
    member = meeting.resolutions.get(kind="admission").admissions.first().member
    # Her record (/members/<pk>/, chronicle): at the seed meeting she spoke on its first question.
    Attendance.objects.get_or_create(
        meeting=meeting, member=member, defaults={"role": Attendance.Role.SPEAKER}
    )
    first = meeting.agenda_items.get(order=1)
    first.speakers = member.short_name
    first.save()
    return {
        "home": "/",
        "archive": "/meetings/",
        "archive-search": "/meetings/?q=методист&year=2021",
        "meeting": meeting.get_absolute_url(),
        "resolutions": "/resolutions/",
        "resolutions-search": "/resolutions/?q=конкурс&overdue=on",
        "resolution": f"/resolutions/{item.pk}/",
        "resolution-figures": f"/resolutions/{note.pk}/",
        "progress": "/resolutions/progress/",
        "members": "/members/",
        "member": f"/members/{member.pk}/",
        "statistics": "/stats/",
        "statistics-sorted": "/stats/?sort=-outdoor_events&year=2024",
        "search": "/search/?q=открытое небо",
        "annual-index": "/annual/",
        "annual": "/annual/2021/",
        "login": "/accounts/login/",
        "subscribe": "/subscribe/",
        "not-found": "/meetings/no-such-meeting/",
    }


def nu_documents(client) -> dict[str, str]:
    pages = {}
    for name, url in public_urls().items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), url
        pages[name] = response.content.decode()
    # The centre's board has the filter form the issue found with an unnamed button.
    client.force_login(make_user("centre-nu", group=roles.CENTRE_METHODIST))
    response = client.get("/stats/review/")
    assert response.status_code == 200
    pages["review-board"] = response.content.decode()
    return pages


NAMES = [
    "home",
    "archive",
    "archive-search",
    "meeting",
    "resolutions",
    "resolutions-search",
    "resolution",
    "resolution-figures",
    "progress",
    "members",
    "member",
    "statistics",
    "statistics-sorted",
    "search",
    "annual-index",
    "annual",
    "login",
    "subscribe",
    "not-found",
    "review-board",
]


@pytest.mark.parametrize("name", NAMES)
def test_the_page_has_no_nu_checker_error(nu_report, name):
    assert [str(e) for e in nu_report[name].errors] == []


def test_every_page_was_checked(nu_report):
    assert set(nu_report) == set(NAMES)


@pytest.fixture(scope="module")
def descriptions(render_once) -> dict[str, str]:
    def collect(client):
        found = {}
        for name, url in public_urls().items():
            (content,) = DESCRIPTION.findall(client.get(url).content.decode())
            found[name] = unescape(content)
        return found

    return render_once(collect)


def test_each_public_page_describes_itself_in_russian(descriptions):
    own = {n: d for n, d in descriptions.items() if n not in {"home", "not-found"}}
    for name, text in descriptions.items():
        assert 50 <= len(text) <= 300, (name, text)
        assert re.search("[а-яё]", text), (name, text)
    assert descriptions["home"].startswith(DEFAULT_START)
    assert not any(d.startswith(DEFAULT_START) for d in own.values()), own
    # Searches share their list's sentence; every other page has its own.
    assert descriptions["archive-search"] == descriptions["archive"]
    pages = [n for n in own if not n.endswith(("-search", "-sorted"))]
    assert len({descriptions[n] for n in pages}) == len(pages) >= 14


def test_a_meetings_description_names_its_date_and_topic(descriptions):
    assert descriptions["meeting"] == (
        "Ежегодное заседание Клуба деловых встреч методистов Кузбасса, 23 июня 2021 г., "
        "тема «Практика методической работы»: протокол с повесткой, постановлениями, "
        "решениями и списком присутствовавших; PDF и Excel."
    )
    assert "23 июня 2021 г." in descriptions["resolution"]
    assert "летом 2025 года" in descriptions["statistics"]
    assert "летом 2024 года" in descriptions["statistics-sorted"]


def test_the_sitemap_names_the_statistics_and_the_clubs_years(client):
    demo_load()
    body = client.get("/sitemap.xml").content.decode()
    for path in (
        "/meetings/",
        "/resolutions/",
        "/resolutions/progress/",
        "/members/",
        "/stats/",
        "/annual/",
        "/annual/2021/",
    ):
        assert f"<loc>http://testserver{path}</loc>" in body
