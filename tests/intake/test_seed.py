"""The club's minutes of 23 June 2021, as text and as a Word document with real numbering,
become the draft the demo holds: every sentence verbatim, the agenda, the six items with
their kinds, the four new members in the nominative, the thanked director, and every
organisation found in the demo's catalogue with none to create."""

import datetime
import re

import pytest

from demo import club as demo
from demo import seed as demo_minutes
from demo.catalogue import intake_catalogue
from intake import match_draft, parse_minutes, preview, read_upload
from intake.draft import ADMISSION, DECISION, DECISIONS, GRATITUDE, NOTE, RESOLVED
from intake.matching import MATCHED
from intake.samples import minutes_docx
from tests.helpers import SEED_PATH

SEED = SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(params=["txt", "docx"])
def draft(request):
    data = SEED.encode("utf-8") if request.param == "txt" else minutes_docx(SEED)
    document = read_upload(data)
    assert document.kind == request.param
    return parse_minutes(document)


@pytest.fixture
def catalogue():
    rows = intake_catalogue()
    return rows, {row[1]: row[0] for row in rows}


def seed_sentences() -> list[str]:
    """Every sentence of the seed file, without the Markdown bold marks, list numbers and
    the «Тема:» label."""
    sentences = []
    for line in SEED.splitlines():
        line = re.sub(r"^\d+\.\s+|^Тема:\s*", "", line.replace("**", "").strip())
        sentences += [s for s in re.split(r"(?<=[.:])\s+(?=[А-ЯЁ«])", line) if s]
    return sentences


def draft_texts(draft) -> str:
    heading = draft.heading
    parts = [heading.title, f"«{heading.topic}»", heading.date_written, heading.venue.written]
    parts += [draft.preamble, *(s.intro for s in draft.sections)]
    parts += [item.text for item in draft.items()]
    return "\n".join(parts)


def test_every_sentence_of_the_seed_is_in_the_draft_word_for_word(draft):
    texts = draft_texts(draft)
    missing = [s for s in seed_sentences() if s not in texts]
    assert missing == []
    assert len(seed_sentences()) > 20


def test_the_texts_are_those_the_demo_transcribed(draft):
    assert draft.heading.title == demo_minutes.TITLE
    assert draft.heading.topic == demo_minutes.TOPIC
    assert draft.heading.venue.written == demo_minutes.HOST_FULL_NAME
    assert draft.preamble == demo_minutes.PREAMBLE
    assert [s.intro for s in draft.sections] == [
        demo_minutes.RESOLVED_INTRO,
        demo_minutes.DECISIONS_INTRO,
    ]
    assert [i.text for i in draft.sections[0].items] == demo_minutes.RESOLVED_ITEMS
    assert [i.text for i in draft.sections[1].items] == demo_minutes.DECISION_ITEMS


def test_the_heading_gives_kind_date_and_format(draft):
    heading = draft.heading
    assert heading.kind == "annual"
    assert heading.date == datetime.date(2021, 6, 23)
    assert heading.date_written == "23 июня 2021 г."
    assert heading.format == "online"


def test_the_agenda_comes_from_the_introductory_phrase(draft):
    assert [q.title for q in draft.agenda] == demo.AGENDA
    assert {q.source for q in draft.agenda} == {"intro"}


def test_three_and_three_items_of_the_right_kinds(draft):
    assert [(s.kind, len(s.items)) for s in draft.sections] == [(RESOLVED, 3), (DECISIONS, 3)]
    assert [i.kind for i in draft.items()] == [GRATITUDE, NOTE, ADMISSION] + [DECISION] * 3
    assert [i.number for i in draft.items()] == [1, 2, 3, 1, 2, 3]
    assert [i.label for i in draft.items()] == ["1.", "2.", "3."] * 2
    # the links the demo set by hand: the note to question 1, decisions to 3 and 2
    assert [i.agenda_number for i in draft.items()] == [None, 1, None, 3, 2, None]


def test_the_four_new_members_in_the_nominative_with_their_organisations(draft):
    admitted = draft.sections[0].items[2].admitted
    assert [(p.name.full_name, p.name.gender, p.organisation.written) for p in admitted] == [
        ("Девятых Ирина Анатольевна", "f", "МИБС г.Новокузнецка"),
        ("Кентнер Наталья Евгеньевна", "f", "Польсаевскую ЦБС"),
        ("Андреева Елена Александровна", "f", "ЦБС Киселевского городского округа"),
        ("Исаенкова Анна Владимировна", "f", "МИБС г. Кемерово"),
    ]
    assert [p.written for p in admitted] == [
        "Девятых Ирину Анатольевну",
        "Кентнер Наталью Евгеньевну",
        "Андрееву Елену Александровну",
        "Исаенкову Анну Владимировну",
    ]
    assert [p.name.surname for p in admitted] == [row[0] for row in demo.ADMITTED]


def test_the_gratitude_thanks_the_director_of_the_host_library(draft, catalogue):
    (recipient,) = draft.sections[0].items[0].recipients
    person = recipient.person
    assert person.name.full_name == "Никулина Вера Александровна"
    assert person.name.gender == "f"
    assert person.position == "директор"
    assert person.organisation.written == (
        "Государственной научной библиотеки Кузбасса им. В.Д.Федорова"
    )
    rows, ids = catalogue
    found = match_draft(draft, rows).organisation(person.organisation)
    assert (found.status, found.id) == (MATCHED, ids["ГНБК им. В.Д. Федорова"])


def test_the_seed_decisions_have_no_due_dates_or_responsible_bodies(draft):
    decisions = draft.sections[1].items
    assert [d.due for d in decisions] == [None, None, None]
    assert [d.responsible for d in decisions] == [(), (), ()]


def test_nothing_in_the_seed_is_left_unexplained(draft):
    assert draft.all_flags() == []
    assert draft.unplaced == () and draft.closing == ()


def test_every_organisation_is_found_in_the_demo_catalogue_with_none_to_create(draft, catalogue):
    rows, ids = catalogue
    matches = match_draft(draft, rows)
    found = {m.mention.written: (m.status, m.id) for m in matches.organisations.values()}
    assert found == {
        "Государственная научная библиотека Кузбасса им. В.Д.Федорова": (
            MATCHED,
            ids["ГНБК им. В.Д. Федорова"],
        ),
        "Государственной научной библиотеки Кузбасса им. В.Д.Федорова": (
            MATCHED,
            ids["ГНБК им. В.Д. Федорова"],
        ),
        "МИБС г.Новокузнецка": (MATCHED, ids["МИБС г. Новокузнецка"]),
        "Польсаевскую ЦБС": (MATCHED, ids["Полысаевская ЦБС"]),
        "ЦБС Киселевского городского округа": (MATCHED, ids["ЦБС Киселевского городского округа"]),
        "МИБС г. Кемерово": (MATCHED, ids["МИБС г. Кемерово"]),
    }
    assert matches.new_organisations() == []
    # the members' organisations are the ones load_demo gives them
    admitted = draft.sections[0].items[2].admitted
    assert [matches.organisation(p.organisation).name for p in admitted] == [
        row[3] for row in demo.ADMITTED
    ]


def test_the_new_members_are_offered_when_they_exist_already(draft, catalogue):
    rows, ids = catalogue
    members = [
        (10 + n, last, first, patronymic, ids[org])
        for n, (last, first, patronymic, org) in enumerate(demo.ADMITTED)
    ]
    matches = match_draft(draft, rows, members)
    admitted = draft.sections[0].items[2].admitted
    assert [(matches.member(p).status, matches.member(p).id) for p in admitted] == [
        (MATCHED, 10),
        (MATCHED, 11),
        (MATCHED, 12),
        (MATCHED, 13),
    ]
    assert matches.new_members() == []
    assert len(match_draft(draft, rows).new_members()) == 4


def test_the_dry_run_preview_says_what_would_be_created(draft, catalogue):
    text = preview(draft, match_draft(draft, catalogue[0]))
    assert "Название: Ежегодное заседание Клуба деловых встреч методистов Кузбасса" in text
    assert "Вид: ежегодное заседание; формат: онлайн" in text
    assert "Дата: 23 июня 2021 г." in text
    assert "  2. Проведение внутренних профессиональных конкурсов" in text
    assert (
        "Девятых Ирина Анатольевна — будет создан(а); организация «МИБС г.Новокузнецка»: " in text
    )
    assert "«Польсаевскую ЦБС»: найдено — Полысаевская ЦБС" in text
    assert "кому: Никулина Вера Александровна, директор;" in text
    assert "Будет создано: организаций — 0, членов Клуба — 4." in text
    assert "Проверьте" not in text
