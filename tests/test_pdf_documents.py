"""Every PDF the portal writes, read back by poppler and pikepdf as archives, screen readers and
printers read it: tagged PDF/A-2a with /Lang ru, a title and embedded fonts; headings, lists and
tables in the structure tree; every word on the paper, the widest table included.

The documents: the demo minutes and an extract of them; minutes and an extract with the longest
names of the demo (organisations, municipalities, a member of each library system); the summer
note of 2024 (its table of all 34 library systems); a library's report; the report on open
decisions (the demo's, and the decision with every library system responsible); a member's
certificate of participation (the demo meeting and the one with the longest names); the
club's year 2021.
"""

import pytest
from django.db.models.functions import Length
from django.urls import reverse

import kernel.pdf
from demo.club import demo_load
from demo.statistics import demo_statistics_load, library_systems
from meetings.models import Attendance, Meeting
from members.models import Organization
from minutes.exporters.pdf import minutes_pdf, minutes_pdf_html
from minutes.selectors import minutes_for
from resolutions.models import Resolution
from stats.models import Report
from stats.report_print import report_pdf_bytes, report_print_data
from tests.clients import poppler
from tests.clients.fixtures import response_bytes
from tests.clients.pdf_structure import structure, text_outside_marked_content
from tests.helpers import make_meeting, make_member, make_resolution

pytestmark = pytest.mark.django_db

SUMMER_YEAR = 2024  # every one of the 34 library systems reported that summer
MEETINGS = ("minutes", "extract", "long minutes", "long extract")
DOCUMENTS = (*MEETINGS, "summer note", "report", "open decisions", "certificate", "annual report")
DOC_KIND = {
    "minutes": "ПРОТОКОЛ",
    "extract": "ВЫПИСКА ИЗ ПРОТОКОЛА",
    "summer note": "СПРАВКА",
    "report": "СТАТИСТИЧЕСКИЙ ОТЧЁТ",
    "open decisions": "СПРАВКА",
    "certificate": "СПРАВКА",
    "annual report": "ОТЧЁТ",
}


def longest(values):
    return max(values, key=len)


def meeting_with_the_longest_names() -> Meeting:
    """A member of every library system of the demo present, the longest organisation as
    host and as responsible, the longest municipality in the address."""
    systems = {short: (municipality, full) for municipality, short, full, _ in library_systems()}
    organizations = {o.short_name: o for o in Organization.objects.filter(short_name__in=systems)}
    host = organizations[longest(organizations)]
    meeting = make_meeting(
        number="12-вн",
        title="Выездное заседание Клуба деловых встреч методистов Кузбасса на базе "
        + host.display_full_name,
        topic="Внестационарное библиотечное обслуживание населения "
        + longest(m for m, _ in systems.values()),
        format=Meeting.Format.HYBRID,
        venue=host,
        address=f"{host.display_full_name}, {longest(m for m, _ in systems.values())}, "
        "ул. Ленинградская, д. 10, конференц-зал",
        chair=make_member(
            "Константинопольская",
            first_name="Александра",
            patronymic="Вячеславовна",
            organization=host,
        ),
    )
    for organization in sorted(organizations.values(), key=lambda o: o.short_name):
        Attendance.objects.create(
            meeting=meeting,
            member=make_member(
                "Верхнеднепровская",
                first_name="Екатерина",
                patronymic="Станиславовна",
                organization=organization,
            ),
        )
    item = make_resolution(
        meeting,
        1,
        text="Обобщить опыт внестационарного обслуживания населения библиотеками "
        f"{host.display_full_name} и представить его на областном семинаре.",
        responsible_person="Константинопольская Александра Вячеславовна",
    )
    item.responsible_organizations.add(*organizations.values())
    return meeting


def documents(client) -> dict[str, bytes]:
    demo = demo_load().meeting
    demo_statistics_load()
    long = meeting_with_the_longest_names()
    extract_of = {
        "extract": demo.resolutions.get(section=Resolution.Section.DECISIONS, number=2),
        "long extract": long.resolutions.get(),
    }
    found = {
        "minutes": client.get(reverse("meetings:minutes_pdf", args=[demo.slug])),
        "long minutes": client.get(reverse("meetings:minutes_pdf", args=[long.slug])),
        **{
            name: client.get(reverse("resolutions:extract_pdf", args=[item.pk]))
            for name, item in extract_of.items()
        },
        "summer note": client.get(reverse("stats:summer_pdf", args=[SUMMER_YEAR])),
        "open decisions": client.get(reverse("chronicle:progress_pdf")),
        "annual report": client.get(reverse("annual:pdf", args=[demo.date.year])),
    }
    member = demo.resolutions.get(kind=Resolution.Kind.ADMISSION).admissions.first().member
    for meeting in (demo, long):
        Attendance.objects.create(meeting=meeting, member=member)
    found["certificate"] = client.get(reverse("members:certificate_pdf", args=[member.pk]))
    pdfs = {name: response_bytes(response) for name, response in found.items()}
    report = (
        Report.objects.filter(status=Report.Status.ACCEPTED)
        .annotate(name_length=Length("organization__full_name"))
        .order_by("-name_length", "-period__year", "-period__month")
        .first()
    )
    pdfs["report"] = report_pdf_bytes(report_print_data(report))
    return pdfs


@pytest.fixture(scope="module")
def pdfs(render_once) -> dict[str, bytes]:
    return render_once(documents)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_poppler_finds_a_tagged_pdf_a_2a_with_a_title(pdfs, name):
    info = poppler.pdfinfo(pdfs[name])
    assert info.tagged, name
    assert info.pdfa == ("2", "A"), name
    assert info.title


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_font_is_embedded_with_its_unicode_map(pdfs, name):
    fonts = poppler.pdffonts(pdfs[name])
    assert fonts
    assert [f.name for f in fonts if not (f.embedded and f.unicode)] == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_screen_reader_finds_russian_text_with_headings_and_nothing_untagged(pdfs, name):
    tree = structure(pdfs[name])
    assert (tree.lang, tree.marked, tree.display_doc_title) == ("ru", True, True)
    assert tree.tags["H1"] == 1 and tree.tags["H2"] >= 1, tree.tags
    assert text_outside_marked_content(pdfs[name]) == {}


@pytest.mark.parametrize("name", MEETINGS)
def test_the_numbered_items_are_lists_and_the_signatures_a_table(pdfs, name):
    tags = structure(pdfs[name]).tags
    assert tags["L"] >= 1 and tags["LI"] >= 1 and tags["Table"] >= 1, tags


def test_the_minutes_list_the_agenda_those_present_and_each_section_s_items(pdfs):
    tags = structure(pdfs["long minutes"]).tags
    # Those present (34) and the one item; the agenda is empty. A list that runs on to the
    # next page is a list there too (WeasyPrint tags page by page).
    assert tags["L"] >= 2, tags
    assert tags["LI"] >= 34 + 1, tags


def test_the_tables_of_the_summer_note_have_header_cells(pdfs):
    tags = structure(pdfs["summer note"]).tags
    assert tags["Table"] >= 5 and tags["TH"] >= 34, tags


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_word_is_inside_the_printable_area(pdfs, name):
    assert poppler.outside_printable_area(pdfs[name]) == []


def test_the_table_of_34_library_systems_turns_the_page_to_landscape(pdfs):
    pdf = pdfs["summer note"]
    pages = poppler.pages(pdf)
    sizes = poppler.pdfinfo(pdf).page_sizes
    systems = [short for _, short, _, _ in library_systems()]
    assert len(systems) == 34
    text = poppler.reading_text(pages)
    assert [s for s in systems if poppler.fold(s) not in text] == []
    # The table's pages are landscape ones, and each repeats the header to its last column,
    # «Дни работы летних залов», on the paper beside every system.
    table_pages = [
        p.number
        for p in pages
        if any(poppler.fold(s) in poppler.reading_text([p]) for s in systems)
    ]
    assert table_pages
    for number in table_pages:
        width, height = sizes[number - 1]
        assert width > height, (number, sizes)
        assert "Дни работы летних залов" in poppler.reading_text([pages[number - 1]]), number


@pytest.mark.parametrize(
    "name",
    [
        "minutes",
        "extract",
        "summer note",
        "report",
        "open decisions",
        "certificate",
        "annual report",
    ],
)
def test_the_spaced_out_document_kind_reads_as_words(pdfs, name):
    words = DOC_KIND.get(name, "ПРОТОКОЛ")
    assert words in poppler.pdftotext(pdfs[name])
    assert words in poppler.reading_text(pdfs[name])


def test_justified_russian_text_is_hyphenated(pdfs):
    raw = poppler.pdftotext(pdfs["minutes"], layout=True)
    broken = [line for line in raw.splitlines() if line.rstrip().endswith("\u2010")]
    assert len(broken) >= 3, raw[:2000]
    # A reader still gets the whole words, a hyphen typed in the text kept.
    text = poppler.reading_text(pdfs["minutes"])
    assert "распространением коронавирусной инфекции" in text
    assert "в онлайн-режиме" in text


def test_every_page_of_the_minutes_says_which_of_how_many_it_is(pdfs):
    for name in ("minutes", "long minutes"):
        pages = poppler.pages(pdfs[name])
        assert len(pages) >= 2, name
        for page in pages:
            footer = f"Страница {page.number} из {len(pages)}"
            assert poppler.page_of(pages, footer, running_heads=True) == [page.number], name


@pytest.mark.parametrize(
    ("fields", "lines", "absent"),
    [
        ({"format": Meeting.Format.OFFLINE}, ["Форма проведения: очно"], "Место проведения"),
        (
            {"format": Meeting.Format.OFFLINE, "host": True},
            ["Форма проведения: очно", "Место проведения: Централизованная библиотечная система"],
            "онлайн",
        ),
        (
            {"format": Meeting.Format.HYBRID, "address": "г. Юрга, ул. Машиностроителей, 23"},
            [
                "Форма проведения: смешанный формат",
                "Место проведения: г. Юрга, ул. Машиностроителей, 23",
            ],
            "онлайн",
        ),
        (
            {"format": Meeting.Format.ONLINE, "address": "г. Юрга, ул. Машиностроителей, 23"},
            ["Форма проведения: онлайн"],
            "Место проведения",
        ),
    ],
)
def test_the_minutes_always_say_how_and_where_the_meeting_was_held(fields, lines, absent):
    if fields.pop("host", False):
        fields["venue"] = Organization.objects.create(
            short_name="ЦБС Юрги",
            full_name="Централизованная библиотечная система г. Юрги",
            kind=Organization.Kind.CBS,
            municipality=make_member().organization.municipality,
        )
    meeting = make_meeting(**fields)
    make_resolution(meeting, 1, text="Принять к сведению.")
    text = poppler.reading_text(minutes_pdf(minutes_for(meeting))[0])
    for line in lines:
        assert line in text
    assert absent not in text


ITEM = (
    "Рассмотреть возможность участия в работе по расширению выставочного пространства музея "
    "библиотек и библиотечного дела Кемеровской области. Конец пункта {n}."
)


def signatures_alone(pdf: bytes, last_item: str) -> bool:
    """Whether the signatures stand on a page without the last item."""
    pages = poppler.pages(pdf)
    return poppler.page_of(pages, "Председатель") != poppler.page_of(pages, last_item)


def test_the_signatures_never_stand_alone_on_the_last_page():
    """Items are added until, without the rule, the signatures would start the last page;
    with it, the last item goes over with them."""
    meeting = make_meeting(number="5")
    for n in range(1, 16):
        make_resolution(meeting, n, text=ITEM.format(n=n))
    without_the_rule = "<style>.closing { break-before: auto }</style></head>"
    for n in range(16, 40):
        make_resolution(meeting, n, text=ITEM.format(n=n))
        html = minutes_pdf_html(minutes_for(meeting))
        probe, _fonts = kernel.pdf.render_document(html.replace("</head>", without_the_rule))
        if signatures_alone(probe.write_pdf(), f"Конец пункта {n}."):
            break
    else:
        pytest.fail("no number of items put the signatures at the top of a page")
    pdf = minutes_pdf(minutes_for(meeting))[0]
    pages = poppler.pages(pdf)
    assert poppler.page_of(pages, "Председатель") == [len(pages)]
    assert poppler.page_of(pages, f"Конец пункта {n}.") == [len(pages)]
    assert poppler.page_of(pages, "Конец пункта 1.") == [1]
