"""A section's heading is the minutes' own words, and never repeats the typed phrase."""

import html
import io
import re

import openpyxl
import pytest
from docx import Document
from pypdf import PdfReader

from demo import seed
from meetings.selectors import meeting_queryset
from minutes.exporters.docx import minutes_docx
from minutes.exporters.pdf import minutes_pdf
from minutes.exporters.xlsx import minutes_xlsx
from minutes.selectors import minutes_for
from resolutions.models import Resolution
from tests.helpers import make_meeting, make_resolution, normalize

pytestmark = pytest.mark.django_db

RESOLVED_HEADING = "Постановили"
DECISIONS_HEADING = "Решения по итогам мероприятия"


def page_sections(client, meeting) -> list[tuple[str, str]]:
    """(heading, the text under it) of each section of the meeting's page."""
    body = client.get(f"/meetings/{meeting.slug}/").content.decode()
    found = []
    for section in re.findall(r'<section aria-labelledby="section-\d+".*?</section>', body, re.S):
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", section, re.S).group(1)
        rest = section.split("</h2>", 1)[1].split("<ol", 1)[0]
        found.append(
            (html.unescape(heading.strip()), html.unescape(re.sub(r"<[^>]+>", "", rest)).strip())
        )
    return found


def pdf_lines(meeting) -> list[str]:
    pdf = minutes_pdf(minutes_for(meeting_queryset().get(pk=meeting.pk)))[0]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]


def workbook_heading(meeting) -> list[str]:
    """The texts of the minutes sheet above its table of items."""
    data = minutes_xlsx(minutes_for(meeting_queryset().get(pk=meeting.pk)))
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    texts = []
    for row in ws.iter_rows(values_only=True):
        if row[0] == "Раздел":  # the table's header
            break
        texts += [str(value) for value in row if value is not None]
    return texts


def count(texts, word: str) -> int:
    return sum(t.casefold().count(word.casefold()) for t in texts)


def test_the_seed_page_heads_each_section_with_the_minutes_words_once(client, demo):
    sections = page_sections(client, demo)
    assert sections == [(seed.RESOLVED_INTRO, ""), (seed.DECISIONS_INTRO, "")]
    for heading, rest in sections:
        assert count([heading, rest], "постановили") <= 1
    assert RESOLVED_HEADING not in [h for h, _ in sections]
    assert DECISIONS_HEADING not in client.get("/meetings/2021-06-23/").content.decode()


def test_the_seed_pdf_says_resolved_once_and_the_decisions_in_their_own_words(demo):
    lines = pdf_lines(demo)
    assert count(lines, "постановили") == 1
    text = " ".join(lines)
    assert "По итогам мероприятия приняты следующие решения:" in text
    assert DECISIONS_HEADING not in text


def test_the_seed_workbook_heading_says_resolved_once_and_the_decisions_as_typed(demo):
    heading = workbook_heading(demo)
    assert count(heading, "постановили") == 1
    assert seed.RESOLVED_INTRO in heading
    assert seed.DECISIONS_INTRO in heading
    assert DECISIONS_HEADING not in heading


def minutes_with(**intros):
    meeting = make_meeting(**intros)
    make_resolution(meeting, section=Resolution.Section.RESOLVED, text="Принять к сведению.")
    make_resolution(meeting, section=Resolution.Section.DECISIONS, text="Продолжить работу.")
    return meeting


def test_a_typed_heading_alone_is_printed_once_and_no_phrase_gives_the_fixed_heading(client):
    meeting = minutes_with(resolved_intro="Постановили:", decisions_intro="")
    assert page_sections(client, meeting) == [
        ("Постановили:", ""),
        (DECISIONS_HEADING, ""),
    ]
    lines = pdf_lines(meeting)
    assert count(lines, "постановили") == 1
    # The printed minutes head the decisions as ГОСТ Р 7.0.97-2016 does.
    assert "РЕШИЛИ:" in lines and DECISIONS_HEADING not in " ".join(lines)
    heading = workbook_heading(meeting)
    assert heading.count("Постановили:") == 1 and count(heading, "постановили") == 1


def test_a_phrase_that_does_not_name_the_section_stands_under_the_fixed_heading(client):
    phrase = "Участники заседания единогласно поддержали предложения докладчиков"
    meeting = minutes_with(resolved_intro=phrase, decisions_intro="Решения по итогам мероприятия")
    sections = page_sections(client, meeting)
    assert sections[0][0] == RESOLVED_HEADING and phrase in sections[0][1]
    assert sections[1][0] == DECISIONS_HEADING and DECISIONS_HEADING not in sections[1][1]
    lines = pdf_lines(meeting)
    assert lines.index("ПОСТАНОВИЛИ:") < lines.index("РЕШИЛИ:")
    assert normalize(phrase) in normalize("".join(lines))
    assert count(lines, DECISIONS_HEADING) == 1
    heading = workbook_heading(meeting)
    assert RESOLVED_HEADING in heading and phrase in heading
    assert count(heading, DECISIONS_HEADING) == 1


def docx_lines(libreoffice, meeting) -> list[str]:
    """The Word file's paragraphs as LibreOffice Writer reads them."""
    data = minutes_docx(minutes_for(meeting_queryset().get(pk=meeting.pk)))[0]
    return [p.text.strip() for p in libreoffice.read_document(data).paragraphs if p.text.strip()]


def test_the_printed_minutes_head_each_block_as_gost_does_in_pdf_and_word(libreoffice):
    """ГОСТ Р 7.0.97-2016: «ПОСТАНОВИЛИ:» and «РЕШИЛИ:» head the blocks of the printed
    minutes; a phrase the secretary typed stands under them, word for word."""
    phrase = "Участники заседания единогласно поддержали предложения докладчиков"
    meeting = minutes_with(resolved_intro="", decisions_intro=phrase)
    for lines in (pdf_lines(meeting), docx_lines(libreoffice, meeting)):
        text = normalize("".join(lines))
        order = [
            "ПОСТАНОВИЛИ:",
            "1.Принятьксведению.",
            "РЕШИЛИ:",
            normalize(phrase),
            "1.Продолжить",
        ]
        assert [text.find(words) for words in order] == sorted(text.find(w) for w in order)
        assert -1 not in [text.find(words) for words in order]


def test_a_phrase_ending_with_the_verb_is_the_block_heading_word_for_word(demo, libreoffice):
    """The seed's «…, постановили:» heads its block as typed, the verb once and in bold."""
    words = normalize("".join(pdf_lines(demo)))
    assert normalize(seed.RESOLVED_INTRO) in words and "ПОСТАНОВИЛИ" not in words
    assert words.index("РЕШИЛИ:") < words.index(normalize(seed.DECISIONS_INTRO))
    docx = minutes_docx(minutes_for(meeting_queryset().get(pk=demo.pk)))[0]
    document = Document(io.BytesIO(docx))
    bold = [run.text for p in document.paragraphs for run in p.runs if run.bold]
    assert "постановили:" in bold and "РЕШИЛИ:" in bold
    assert normalize(seed.RESOLVED_INTRO) in normalize("".join(docx_lines(libreoffice, demo)))
