"""The minutes as an archival PDF: every word of the seed, metadata, PDF/A, pages, cache."""

import datetime
import io

import pytest
from django.core.files.storage import storages
from pypdf import PdfReader

import kernel.pdf
from demo.club import ADMITTED
from meetings.models import Attendance, Meeting
from minutes.exporters.extract import resolution_extract_html, resolution_extract_pdf
from minutes.exporters.pdf import minutes_pdf, minutes_pdf_html
from minutes.selectors import minutes_for
from resolutions.models import Resolution
from tests.helpers import (
    make_meeting,
    make_member,
    make_organization,
    make_resolution,
    normalize,
    seed_sentences,
)

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre
LONG_TEXT = (
    "Продолжить работу по развитию внестационарного обслуживания населения, включая летние "
    "читальные залы, пункты выдачи, выезды КИБО и мероприятия под открытым небом. "
) * 3


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    """The text of the PDF's pages without whitespace, as a reader follows it from page to
    page: lines wrap wherever the layout puts them, and the page numbers in the top and
    bottom margins («2», «Страница 1 из 2») are not part of a sentence that runs on."""
    return normalize("".join(text for page in read(pdf).pages for _x, text in body_texts(page)))


def texts(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of every piece of text drawn on a page, y from the bottom."""
    found = []

    def visit(text, cm, tm, font, size):
        # The text origin in page coordinates: the text matrix, then the current one.
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if text:
            found.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return found


def body_texts(page) -> list[tuple[float, str]]:
    """(x, text) of every piece of text drawn between the top and bottom 20 mm margins."""
    height = float(page.mediabox.height)
    return [(x, text) for x, y, text in texts(page) if 20 * MM < y < height - 20 * MM]


def top_margin_texts(page) -> list[tuple[float, str]]:
    """(x, text) of every piece of text drawn in the top 20 mm of a page."""
    height = float(page.mediabox.height)
    return [
        (x, text.strip()) for x, y, text in texts(page) if text.strip() and y > height - 20 * MM
    ]


@pytest.fixture
def demo_pdf(demo) -> bytes:
    return minutes_pdf(minutes_for(demo))[0]


def long_meeting() -> Meeting:
    meeting = make_meeting(number="7", title="Заседание Клуба деловых встреч методистов Кузбасса")
    for n in range(1, 13):
        make_resolution(meeting, n, text=f"{n}-е решение. {LONG_TEXT}")
    return meeting


def test_every_sentence_of_the_seed_is_in_the_pdf(demo_pdf):
    text = pdf_text(demo_pdf)
    missing = [s for s in seed_sentences() if normalize(s) not in text]
    assert missing == []


def test_the_pdf_reads_as_a_russian_protocol(demo_pdf):
    text = pdf_text(demo_pdf)
    for expected in [
        "Клуб деловых встреч методистов Кузбасса",
        "Государственная научная библиотека Кузбасса им. В.Д.Федорова",
        "ПРОТОКОЛ",
        "23 июня 2021 г.",
        "№ 1",
        "онлайн",
        "Тема: «Практика методической работы»",
        "Повестка дня:",
        "1. Опыт внестационарной работы",
        "3. Организация статистического учета в ЦБС",
        "Председатель",
        "Секретарь",
    ]:
        assert normalize(expected) in text, expected


def test_the_four_admitted_members_are_listed_with_their_organisations(demo_pdf):
    text = pdf_text(demo_pdf)
    assert normalize("Приняты в Клуб:") in text
    for last, first, patronymic, organization in ADMITTED:
        assert normalize(f"{last} {first} {patronymic} ({organization})") in text


def test_metadata_title_author_and_language(demo, demo_pdf):
    reader = read(demo_pdf)
    assert reader.metadata.title == f"Протокол № 1 от 23 июня 2021 г.: {demo.title}"
    assert reader.metadata.author == "Клуб деловых встреч методистов Кузбасса"
    assert reader.trailer["/Root"]["/Lang"] == "ru"


def test_the_pdf_is_declared_pdf_a_with_every_font_embedded(demo_pdf):
    reader = read(demo_pdf)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp
    fonts = {}
    for page in reader.pages:
        for name, font in page["/Resources"]["/Font"].items():
            fonts[name] = font.get_object()
    assert fonts
    for name, font in fonts.items():
        holder = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = holder["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), name


def test_pages_after_the_first_are_numbered_at_the_top_centre():
    pdf = minutes_pdf(minutes_for(long_meeting()))[0]
    pages = read(pdf).pages
    assert len(pages) >= 2
    assert top_margin_texts(pages[0]) == []
    (x, number), *rest = top_margin_texts(pages[1])
    assert (number, rest) == ("2", [])
    # Centred between the 30 mm left and 15 mm right margins.
    centre = (30 + (210 - 15)) / 2 * MM
    assert abs(x - centre) < 10


def test_decision_details_chair_secretary_and_attendance_are_printed():
    chair = make_member("Петрова", first_name="Ольга", patronymic="Ивановна")
    secretary = make_member("Сидорова", first_name="Анна", patronymic="")
    meeting = make_meeting(
        chair=chair,
        secretary=secretary,
        format=Meeting.Format.OFFLINE,
        address="г. Кемерово, ул. Дзержинского, 19",
    )
    Attendance.objects.create(meeting=meeting, member=chair)
    Attendance.objects.create(meeting=meeting, guest_name="Гостева Вера Павловна")
    decision = make_resolution(
        meeting,
        1,
        text="Провести конкурс.",
        responsible_person="Иванова И.И.",
        due_date=datetime.date(2022, 12, 31),
    )
    decision.responsible_organizations.add(make_organization("Беловская ЦБС"))
    text = pdf_text(minutes_pdf(minutes_for(meeting))[0])
    for expected in [
        "г. Кемерово, ул. Дзержинского, 19",
        "Председатель: Петрова Ольга Ивановна",
        "Присутствовали: 2 чел.",
        "Гостева Вера Павловна",
        "1. Провести конкурс.",
        "Ответственные организации: Беловская ЦБС",
        "Ответственный исполнитель: Иванова И.И.",
        "Срок: 31 декабря 2022 г.",
        "О.И. Петрова",
        "А. Сидорова",
    ]:
        assert normalize(expected) in text, expected
    assert "онлайн" not in text


def test_without_chair_and_secretary_the_names_are_left_blank():
    meeting = make_meeting()
    make_resolution(meeting, 1, text="Принять к сведению.")
    html = minutes_pdf_html(minutes_for(meeting))
    assert "Председатель:" not in html
    assert html.count('<td class="name">______________</td>') == 2


def test_a_second_request_serves_the_stored_pdf_without_rendering(demo, renders):
    calls = renders
    first, key = minutes_pdf(minutes_for(demo))
    second, same_key = minutes_pdf(minutes_for(demo))
    assert len(calls) == 1
    assert (second, same_key) == (first, key)
    assert storages["pdf_cache"].exists(f"pdf-cache/{key}.pdf")

    resolution = demo.resolutions.get(section=Resolution.Section.DECISIONS, number=2)
    resolution.text = "Проводить внутренние профессиональные конкурсы ежегодно."
    resolution.save()
    edited, new_key = minutes_pdf(minutes_for(demo))
    assert new_key != key
    assert len(calls) == 2
    assert normalize(resolution.text) in pdf_text(edited)


def test_the_extract_holds_one_item_with_its_section_intro(demo):
    minutes = minutes_for(demo)
    item = demo.resolutions.get(section=Resolution.Section.DECISIONS, number=2)
    pdf, _key = resolution_extract_pdf(item, minutes)
    text = pdf_text(pdf)
    for expected in [
        "ВЫПИСКА ИЗ ПРОТОКОЛА",
        demo.title,
        "23 июня 2021 г.",
        "№ 1",
        "По итогам мероприятия приняты следующие решения:",
        f"2. {item.text}",
        "Выписка верна",
        "Секретарь",
    ]:
        assert normalize(expected) in text, expected
    others = demo.resolutions.exclude(pk=item.pk)
    assert [r.number for r in others if normalize(r.text) in text] == []
    assert read(pdf).metadata.title.startswith("Выписка из протокола от 23 июня 2021 г., пункт 2")


def test_the_extract_of_the_admission_lists_the_admitted_members(demo):
    item = demo.resolutions.get(kind=Resolution.Kind.ADMISSION)
    text = normalize(resolution_extract_html(item, minutes_for(demo)))
    assert normalize("Девятых Ирина Анатольевна (МИБС г. Новокузнецка)") in text


def test_an_extract_refuses_an_item_of_other_minutes(demo):
    other = make_resolution(make_meeting(), 1)
    with pytest.raises(ValueError):
        resolution_extract_html(other, minutes_for(demo))


def boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from boxes(child)


def test_a_word_longer_than_the_line_is_broken_not_run_off_the_page():
    link = "https://library.example.ru/" + "otchet/" * 40
    meeting = make_meeting(preamble=f"Начало {'Ж' * 300} и ссылка {link} конец.")
    document, _fonts = kernel.pdf.render_document(minutes_pdf_html(minutes_for(meeting)))
    for page in document.pages:
        page_box = page._page_box
        right_edge = page.width - page_box.margin_right
        beyond = [
            box.text[:20]
            for box in boxes(page_box)
            if type(box).__name__ == "TextBox" and box.position_x + box.width > right_edge + 1
        ]
        assert beyond == []
    text = pdf_text(minutes_pdf(minutes_for(meeting))[0])
    assert "Ж" * 300 in text
