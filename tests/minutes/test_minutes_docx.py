"""The minutes and the extract as Word files: every word of the seed as LibreOffice Writer
reads it, the layout Word is told (heading, items, signatures kept with the last item, page
numbers, Russian), drafts hidden, the cache and the query count."""

import datetime
import io
import re
import zipfile

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from demo.club import ADMITTED, demo_load
from kernel.downloads import DOCX
from meetings.models import Meeting
from minutes.exporters.docx import minutes_docx
from minutes.exporters.extract import resolution_extract_docx
from minutes.selectors import minutes_for
from resolutions.models import Resolution
from tests.clients import poppler
from tests.clients.fixtures import response_bytes
from tests.helpers import (
    make_archive,
    make_meeting,
    make_member,
    make_organization,
    make_resolution,
    seed_sentences,
)

pytestmark = pytest.mark.django_db

SEED_URL = "/meetings/2021-06-23/minutes.docx"


def seed_files(client) -> dict[str, bytes]:
    meeting = demo_load().meeting
    item = meeting.resolutions.get(section=Resolution.Section.DECISIONS, number=2)
    admission = meeting.resolutions.get(kind=Resolution.Kind.ADMISSION)
    return {
        "minutes": response_bytes(client.get(f"/meetings/{meeting.slug}/minutes.docx")),
        "extract": response_bytes(client.get(f"/resolutions/{item.pk}/extract.docx")),
        "admission": response_bytes(client.get(f"/resolutions/{admission.pk}/extract.docx")),
    }


@pytest.fixture(scope="module")
def files(render_once) -> dict[str, bytes]:
    return render_once(seed_files)


@pytest.fixture(scope="module")
def writer(files, libreoffice):
    # One batch: the three files are read in one text run and one .fodt run.
    return dict(zip(files, libreoffice.read_documents(list(files.values())), strict=True))


def word(content: bytes):
    return Document(io.BytesIO(content))


def keeps_with_next(paragraph) -> bool:
    """Whether Word keeps the paragraph with the next: its own setting, else its style's."""
    own = paragraph.paragraph_format.keep_with_next
    style = paragraph.style
    while own is None and style is not None:
        own = style.paragraph_format.keep_with_next
        style = style.base_style
    return bool(own)


# LibreOffice Writer reads them


def test_writer_reads_every_seed_sentence_from_the_minutes(writer):
    text = poppler.fold(writer["minutes"].text)
    missing = [s for s in seed_sentences() if poppler.fold(s) not in text]
    assert missing == []


def test_writer_reads_the_head_of_the_minutes_with_the_heading_as_one_word(writer):
    document = writer["minutes"]
    lines = document.text.splitlines()
    assert lines[:5] == [
        "Клуб деловых встреч методистов Кузбасса",
        "Государственная научная библиотека Кузбасса им. В.Д.Федорова",
        "ПРОТОКОЛ",
        "23 июня 2021 г.\t№ 1",
        "Ежегодное заседание, онлайн",
    ]
    assert document.headings[0] == (1, "ПРОТОКОЛ")
    assert "Тема: «Практика методической работы»" in lines
    assert "Повестка дня:" in lines


def test_writer_reads_every_item_under_its_number_and_the_admitted_members(writer):
    lines = writer["minutes"].text.splitlines()
    items = [line for line in lines if re.match(r"\d+\.\t", line)]
    # Agenda 1–3, then «постановили» 1–3 and the decisions 1–3, each number as written.
    assert [line.split(".\t")[0] for line in items] == ["1", "2", "3"] * 3
    assert items[3].startswith("1.\tВыразить благодарность директору")
    admitted = next(line for line in lines if line.startswith("Приняты в Клуб:"))
    for last, first, patronymic, organization in ADMITTED:
        assert f"{last} {first} {patronymic} ({organization})" in admitted


def test_writer_reads_the_signatures_last_and_the_page_numbers_in_the_footer(writer):
    document = writer["minutes"]
    lines = [line for line in document.text.splitlines() if line.strip()]
    assert [line.split("\t")[0] for line in lines[-2:]] == ["Председатель", "Секретарь"]
    assert document.footers == ["Страница {PAGE} из {NUMPAGES}"]


def test_writer_reads_the_extract_of_one_item_certified_by_the_secretary(writer):
    lines = writer["extract"].text.splitlines()
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА" in lines
    assert "По итогам мероприятия приняты следующие решения:" in lines
    items = [line for line in lines if re.match(r"\d+\.\t", line)]
    assert len(items) == 1 and items[0].startswith("2.\tПроводить внутренние")
    written = [line for line in lines if line.strip()]
    assert written[-2:] == ["Выписка верна", "Секретарь\t______________\t______________"]
    admission = writer["admission"].text
    assert "Девятых Ирина Анатольевна (МИБС г. Новокузнецка)" in admission


def test_libreoffice_prints_the_minutes_on_a4_with_page_n_of_m(files, libreoffice):
    (pdf,) = libreoffice.to_pdf([files["minutes"]])
    info = poppler.pdfinfo(pdf)
    assert info.page_sizes[0] == (pytest.approx(595.3, abs=0.5), pytest.approx(841.9, abs=0.5))
    text = poppler.reading_text(pdf, running_heads=True)
    assert f"Страница 1 из {info.pages}" in text
    assert f"Страница {info.pages} из {info.pages}" in text


# What the file tells Word


def test_the_heading_is_letter_spaced_by_a_character_property_not_by_spaces(files):
    document = word(files["minutes"])
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert heading.text == "ПРОТОКОЛ"
    (run,) = heading.runs
    assert int(run._r.rPr.find(qn("w:spacing")).get(qn("w:val"))) > 0


def test_the_signatures_keep_with_the_last_item(files):
    paragraphs = word(files["minutes"]).paragraphs
    first_signature = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Председ"))
    last_item = max(i for i, p in enumerate(paragraphs) if p.text.startswith("3.\tРассмотреть"))
    chain = paragraphs[last_item:first_signature]
    assert [p.text[:12] for p in chain if not keeps_with_next(p)] == []
    assert keeps_with_next(paragraphs[first_signature])  # the chair's line, with the secretary's
    assert paragraphs[-1].text.startswith("Секретарь") and not keeps_with_next(paragraphs[-1])


def test_the_footer_numbers_the_pages_with_page_and_numpages_fields(files):
    footer = word(files["minutes"]).sections[0].footer
    fields = [f.get(qn("w:instr")).strip() for f in footer._element.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[0].text.startswith("Страница ")


def test_russian_is_the_language_of_every_style_and_word_hyphenates(files):
    document = word(files["minutes"])
    for name in ("Normal", "Heading 1", "Labelled Item", "Signature"):
        lang = document.styles[name].element.rPr.find(qn("w:lang"))
        assert lang.get(qn("w:val")) == "ru-RU", name
    assert document.settings.element.find(qn("w:autoHyphenation")) is not None
    assert document.core_properties.language == "ru-RU"
    assert document.core_properties.title.startswith("Протокол № 1 от 23 июня 2021 г.")


def test_the_page_is_a4_portrait_with_the_gost_margins(files):
    section = word(files["minutes"]).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.orientation == WD_ORIENT.PORTRAIT
    margins = [section.top_margin, section.right_margin, section.bottom_margin]
    # ГОСТ Р 7.0.97-2016 and the PDF: 20 mm, 15 mm, 20 mm, and 30 mm at the binding.
    assert [round(m.mm) for m in [*margins, section.left_margin]] == [20, 15, 20, 30]


def test_the_format_line_says_in_person_even_without_an_address():
    meeting = make_meeting(format=Meeting.Format.OFFLINE, kind=Meeting.Kind.REGULAR)
    make_resolution(meeting, 1, text="Принять к сведению.")
    texts = [p.text for p in word(minutes_docx(minutes_for(meeting))[0]).paragraphs]
    assert "Очередное заседание, очно" in texts


def test_decision_details_and_multi_line_items_are_written():
    chair = make_member("Петрова", first_name="Ольга", patronymic="Ивановна")
    meeting = make_meeting(chair=chair, address="г. Кемерово, ул. Дзержинского, 19")
    decision = make_resolution(
        meeting,
        4,
        text="Провести конкурс.\nПодвести итоги.",
        responsible_person="Иванова И.И.",
        due_date=datetime.date(2022, 12, 31),
    )
    decision.responsible_organizations.add(make_organization("Беловская ЦБС"))
    texts = [p.text for p in word(minutes_docx(minutes_for(meeting))[0]).paragraphs]
    assert "4.\tПровести конкурс.\nПодвести итоги." in texts
    for expected in [
        "Ответственные организации: Беловская ЦБС",
        "Ответственный исполнитель: Иванова И.И.",
        "Срок: 31 декабря 2022 г.",
        "Председатель: Петрова Ольга Ивановна (" + str(chair.organization) + ")",
        "Председатель\t______________\tО.И. Петрова",
    ]:
        assert expected in texts, expected
    assert any(text.endswith("очно: г. Кемерово, ул. Дзержинского, 19") for text in texts)


def test_the_same_minutes_give_the_same_bytes_and_an_edit_new_ones(demo):
    first, key = minutes_docx(minutes_for(demo))
    assert minutes_docx(minutes_for(demo)) == (first, key)
    # No picture of python-docx's empty template page stands for the minutes.
    assert not [n for n in zipfile.ZipFile(io.BytesIO(first)).namelist() if "thumbnail" in n]
    item = demo.resolutions.first()
    item.text += " Дополнение."
    item.save()
    edited, new_key = minutes_docx(minutes_for(demo))
    assert new_key != key
    assert "Дополнение." in "\n".join(p.text for p in word(edited).paragraphs)


def test_the_extract_refuses_an_item_of_other_minutes(demo):
    other = make_resolution(make_meeting(), 1)
    with pytest.raises(ValueError):
        resolution_extract_docx(other, minutes_for(demo))


# The addresses


def test_the_meeting_and_resolution_pages_link_the_word_files(client, demo):
    html = client.get("/meetings/2021-06-23/").content.decode()
    assert f'href="{SEED_URL}"' in html
    assert "Скачать протокол (Word)" in html
    item = demo.resolutions.first()
    html = client.get(f"/resolutions/{item.pk}/").content.decode()
    assert f'href="/resolutions/{item.pk}/extract.docx"' in html
    assert "Выписка из протокола (Word)" in html


def test_the_word_files_download_under_their_names_and_answer_304(client, demo):
    response = client.get(SEED_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="protokol-2021-06-23.docx"'
    assert response["Cache-Control"] == "max-age=0"
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get(SEED_URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(SEED_URL, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    item = demo.resolutions.order_by("section", "number").first()
    extract = client.get(f"/resolutions/{item.pk}/extract.docx")
    assert extract["Content-Type"] == DOCX
    name = f"vypiska-2021-06-23-{item.section}-{item.number}.docx"
    assert extract["Content-Disposition"] == f'attachment; filename="{name}"'
    again = client.get(f"/resolutions/{item.pk}/extract.docx", HTTP_IF_NONE_MATCH=extract["ETag"])
    assert again.status_code == 304


def test_an_edit_gives_a_new_word_file(client, demo, django_capture_on_commit_callbacks):
    first = client.get(SEED_URL)["ETag"]
    item = demo.resolutions.first()
    with django_capture_on_commit_callbacks(execute=True):
        item.text += " Дополнение."
        item.save()
    response = client.get(SEED_URL, HTTP_IF_NONE_MATCH=first)
    assert response.status_code == 200 and response["ETag"] != first


def test_a_drafts_word_files_are_404_to_the_public_and_private_to_staff(client, secretary):
    draft = make_meeting(datetime.date(2025, 2, 2), status=Meeting.Status.DRAFT)
    item = make_resolution(draft, 1, text="Секретный черновик")
    urls = [f"{draft.get_absolute_url()}minutes.docx", f"/resolutions/{item.pk}/extract.docx"]
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(secretary)
    downloaded = [client.get(url) for url in urls]
    for response in downloaded:
        assert response.status_code == 200 and response["Content-Type"] == DOCX
        assert "private" in response["Cache-Control"]
    client.logout()
    # The remembered key of a draft's file is never served without the visitor's check.
    for url, response in zip(urls, downloaded, strict=True):
        assert client.get(url).status_code == 404, url
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 404, url


@pytest.mark.parametrize("size", [5, 200])
def test_the_word_files_query_count_does_not_grow(client, django_assert_num_queries, size):
    meeting = make_archive(size)[-1]
    url = f"{meeting.get_absolute_url()}minutes.docx"
    # content version, meeting, agenda, attendance, items, organisations, admissions, files
    with django_assert_num_queries(8):
        first = client.get(url)
    with django_assert_num_queries(1):  # the content version: the file is remembered
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
    item = meeting.resolutions.order_by("number").last()
    # the resolution with its meeting, the minutes, and the content's time (Last-Modified)
    with django_assert_num_queries(8):
        assert client.get(f"/resolutions/{item.pk}/extract.docx").status_code == 200
