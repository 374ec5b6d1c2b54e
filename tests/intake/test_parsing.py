"""Minutes written otherwise than the seed: another heading, an explicit agenda, items of
every kind, deadlines and responsible bodies; what is not understood is kept and flagged."""

import dataclasses
import datetime

import pytest

from intake import parse_minutes, read_upload
from intake.draft import (
    ADMISSION,
    ALL_LIBRARY_SYSTEMS,
    DECISION,
    DECISIONS,
    GRATITUDE,
    NOTE,
    OTHER,
    RESOLVED,
)
from intake.items import item_kind, read_item
from intake.reading import IntakeRejected
from intake.samples import minutes_docx, minutes_text

OTHER_MINUTES = """ПРОТОКОЛ № 5
внеочередного заседания Клуба деловых встреч методистов Кузбасса
г. Кемерово, ул. Дзержинского, 19                    15.03.2024
Место проведения: ГНБК им. В.Д. Федорова
Заседание прошло в смешанном формате: очно и онлайн.

Повестка дня:
1. О ходе подготовки к летнему сезону.
2. Разное.

Выступили методисты библиотечных систем области — «Книжный дворик», № 3, ёлки.

ПОСТАНОВИЛИ:
1. Объявить благодарность коллективу МИБС г. Кемерово и Полысаевской ЦБС за подготовку.
2. Принять информацию выступающих к сведению.
3. Принять в члены Клуба Ковальчука Андрея Петровича (ЦБС г. Белово), Соловьёву Любовь \
Ильиничну, методиста ЦБС г. Юрги, и Черных Олега Викторовича.

По итогам заседания приняты следующие решения:
1. Библиотечным системам области провести акцию «Книжный дворик» в срок до 1 июня 2024 г.:
– в каждом филиале;
– с отчётом по форме № 3.
2. Научно-методическому отделу ГНБК подготовить обзор до конца II квартала 2024 г.
3. Продолжить работу. Ответственные: МИБС г. Кемерово, Полысаевская ЦБС. Срок: к 15 мая.

Приложение: список участников.

Председатель Клуба                 Н. Е. Кентнер
Секретарь                         И. А. Девятых
"""


@pytest.fixture(scope="module")
def other():
    return parse_minutes(OTHER_MINUTES)


def test_another_heading_gives_number_kind_date_venue_address_and_hybrid_format(other):
    heading = other.heading
    assert heading.number == "5"
    assert heading.title == "Внеочередное заседание Клуба деловых встреч методистов Кузбасса"
    assert heading.kind == "extraordinary"
    assert heading.date == datetime.date(2024, 3, 15)
    assert heading.address == "г. Кемерово, ул. Дзержинского, 19"
    assert heading.venue.written == "ГНБК им. В.Д. Федорова"
    assert heading.format == "hybrid"


def test_an_explicit_agenda_is_the_agenda_and_not_items(other):
    assert [(q.number, q.title, q.source) for q in other.agenda] == [
        (1, "О ходе подготовки к летнему сезону", "list"),
        (2, "Разное", "list"),
    ]
    assert [s.kind for s in other.sections] == [RESOLVED, DECISIONS]
    assert other.sections[0].intro == "ПОСТАНОВИЛИ:"
    assert other.sections[1].intro == "По итогам заседания приняты следующие решения:"


def test_the_preamble_keeps_quotes_numbers_signs_and_yo(other):
    assert other.preamble == (
        "Заседание прошло в смешанном формате: очно и онлайн.\n\n"
        "Выступили методисты библиотечных систем области — «Книжный дворик», № 3, ёлки."
    )


def test_an_item_with_sub_lines_keeps_them_verbatim(other):
    first = other.sections[1].items[0]
    assert first.text == (
        "Библиотечным системам области провести акцию «Книжный дворик» в срок до 1 июня "
        "2024 г.:\n– в каждом филиале;\n– с отчётом по форме № 3."
    )


def test_kinds_recipients_and_members_of_the_other_minutes(other):
    gratitude, note, admission = other.sections[0].items
    assert (gratitude.kind, note.kind, admission.kind) == (GRATITUDE, NOTE, ADMISSION)
    assert [(r.position, r.organisation.written) for r in gratitude.recipients] == [
        ("коллектив", "МИБС г. Кемерово"),
        ("", "Полысаевской ЦБС"),
    ]
    assert [
        (p.name.full_name, p.position, p.organisation and p.organisation.written)
        for p in admission.admitted
    ] == [
        ("Ковальчук Андрей Петрович", "", "ЦБС г. Белово"),
        ("Соловьёва Любовь Ильинична", "методист", "ЦБС г. Юрги"),
        ("Черных Олег Викторович", "", None),
    ]
    assert [f.message for f in admission.flags] == [
        "Не указана организация: Черных Олег Викторович."
    ]


def test_deadlines_and_responsible_bodies_of_decisions(other):
    first, second, third = other.sections[1].items
    assert {first.kind, second.kind, third.kind} == {DECISION}
    assert (first.due.written, first.due.date) == (
        "в срок до 1 июня 2024 г.",
        datetime.date(2024, 6, 1),
    )
    assert [(m.written, m.group) for m in first.responsible] == [
        ("Библиотечным системам области", ALL_LIBRARY_SYSTEMS)
    ]
    assert (second.due.date, second.responsible[0].written) == (
        datetime.date(2024, 6, 30),
        "Научно-методическому отделу ГНБК",
    )
    assert [m.written for m in third.responsible] == ["МИБС г. Кемерово", "Полысаевская ЦБС"]
    assert (third.due.written, third.due.date) == ("к 15 мая", None)
    assert [f.message for f in third.flags] == [
        "Срок «к 15 мая» не даёт полной даты; если дата есть, укажите её вручную."
    ]


def test_a_stray_paragraph_is_kept_and_flagged_and_signatures_close(other):
    assert other.unplaced == ("Приложение: список участников.",)
    assert [f.message for f in other.flags] == [
        "Абзац не относится ни к одному пункту и сохранён как есть: «Приложение: список "
        "участников.»."
    ]
    assert other.closing == (
        "Председатель Клуба                 Н. Е. Кентнер",
        "Секретарь                         И. А. Девятых",
    )


def test_the_other_minutes_read_the_same_from_word(other):
    from_word = parse_minutes(read_upload(minutes_docx(OTHER_MINUTES)))
    assert [i.text for i in from_word.items()] == [i.text for i in other.items()]
    assert [i.kind for i in from_word.items()] == [i.kind for i in other.items()]
    assert dataclasses.replace(from_word.heading, lines=()) == dataclasses.replace(
        other.heading, lines=()
    )
    assert from_word.agenda == other.agenda
    assert from_word.unplaced == other.unplaced
    # Word has no empty lines between paragraphs: one line break between them
    assert from_word.preamble == other.preamble.replace("\n\n", "\n")


@pytest.mark.parametrize(
    "text, section, kind",
    [
        ("Выразить благодарность Ивановой Марии Петровне за работу.", RESOLVED, GRATITUDE),
        ("Объявить благодарность коллективу ЦБС г. Юрги.", RESOLVED, GRATITUDE),
        ("Поблагодарить участников заседания.", DECISIONS, GRATITUDE),
        ("Отметить высокий уровень подготовки.", RESOLVED, NOTE),
        ("Принять к сведению информацию о работе.", RESOLVED, NOTE),
        ("Информацию о работе принять к сведению.", RESOLVED, OTHER),
        ("Принять информацию докладчиков к сведению.", RESOLVED, NOTE),
        ("Ввести в состав Клуба Иванову Марию Петровну.", RESOLVED, ADMISSION),
        ("Принять в члены Клуба Иванову Марию Петровну.", RESOLVED, ADMISSION),
        ("Включить в состав Клуба Иванову Марию Петровну.", RESOLVED, ADMISSION),
        ("Рекомендовать библиотекам области провести акцию.", RESOLVED, OTHER),
        ("Рекомендовать библиотекам области провести акцию.", DECISIONS, DECISION),
        ("Обеспечить регламентацию учётной политики.", DECISIONS, DECISION),
    ],
)
def test_the_kind_of_an_item_comes_from_its_first_words(text, section, kind):
    assert item_kind(text, section) == kind


@pytest.mark.parametrize(
    "phrase, written, date",
    [
        ("в срок до 1 марта 2024 г.", "в срок до 1 марта 2024 г.", datetime.date(2024, 3, 1)),
        ("к 15 мая 2024 г.", "к 15 мая 2024 г.", datetime.date(2024, 5, 15)),
        ("до конца 2024 года", "до конца 2024 года", datetime.date(2024, 12, 31)),
        (
            "не позднее 1-го марта 2024 года",
            "не позднее 1-го марта 2024 года",
            datetime.date(2024, 3, 1),
        ),
        ("до 01.03.2024", "до 01.03.2024", datetime.date(2024, 3, 1)),
        (
            "в течение I полугодия 2025 г.",
            "в течение I полугодия 2025 г.",
            datetime.date(2025, 6, 30),
        ),
        ("в мае 2024 г.", "в мае 2024 г.", datetime.date(2024, 5, 31)),
        ("ежегодно до 20 января", "ежегодно до 20 января", None),
        ("постоянно", "постоянно", None),
        ("до 31 февраля 2024 г.", "до 31 февраля 2024 г.", None),
    ],
)
def test_the_due_date_of_a_decision(phrase, written, date):
    item = read_item(
        section=DECISIONS, number=1, label="1.", text=f"ЦБС г. Юрги провести конкурс {phrase}."
    )
    assert (item.due.written, item.due.date) == (written, date)
    assert [m.written for m in item.responsible] == ["ЦБС г. Юрги"]


def test_a_document_date_is_not_a_deadline():
    item = read_item(
        section=DECISIONS,
        number=1,
        label="1.",
        text="Руководствоваться приказом от 12.03.2023 № 45 при составлении отчётов.",
    )
    assert item.due is None
    assert item.responsible == ()


@pytest.mark.parametrize(
    "text, responsible",
    [
        (
            "Рекомендовать библиотечным системам области провести акцию.",
            ["библиотечным системам области"],
        ),
        (
            "Поручить МИБС г. Кемерово и Полысаевской ЦБС подготовить отчёт.",
            ["МИБС г. Кемерово", "Полысаевской ЦБС"],
        ),
        (
            "ЦБС Киселевского и Беловского городских округов провести семинар.",
            ["ЦБС Киселевского и Беловского городских округов"],
        ),
        ("Библиотекам области совместно с ГНБК провести акцию.", ["Библиотекам области"]),
        ("Обеспечить регламентацию учетной политики в ЦБС.", []),
    ],
)
def test_who_carries_a_decision_out(text, responsible):
    item = read_item(section=DECISIONS, number=1, label="1.", text=text)
    assert [m.written for m in item.responsible] == responsible


def test_a_person_made_responsible_is_named_in_the_nominative():
    item = read_item(
        section=DECISIONS,
        number=1,
        label="1.",
        text="Поручить Девятых Ирине Анатольевне подготовить обзор к 1 марта 2025 г.",
    )
    assert [p.name.full_name for p in item.responsible_people] == ["Девятых Ирина Анатольевна"]


def test_bullets_are_items_when_no_item_is_numbered():
    draft = parse_minutes(
        "Заседание Клуба\n23 июня 2021 г.\n\nПостановили:\n"
        "- Отметить работу библиотек.\n"
        "- Ввести в состав Клуба Девятых Ирину Анатольевну (МИБС г. Кемерово)."
    )
    assert [(i.label, i.kind) for i in draft.items()] == [("-", NOTE), ("-", ADMISSION)]


def test_items_without_an_introductory_phrase_are_kept_and_flagged():
    draft = parse_minutes("1. Отметить работу библиотек.\n2. Провести конкурс к 1 мая 2025 г.")
    assert [i.kind for i in draft.items()] == [NOTE, OTHER]
    assert [f.code for f in draft.flags] == ["no_date", "no_section_intro"]


def test_numbers_that_do_not_run_in_order_are_flagged():
    draft = parse_minutes(
        "Заседание Клуба\n23 июня 2021 г.\nПостановили:\n1. Отметить работу.\n3. Отметить конкурс."
    )
    assert [i.number for i in draft.items()] == [1, 2]
    assert draft.flags[0].message == (
        "В документе пункты пронумерованы так: 1, 3; по порядку они получат номера 1, 2."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Заседание Клуба\n23 июня 2021 г.\n\nВ рамках заседания рассмотрен опыт работы.",
        "Повестка дня:\n1. Опыт работы.\n2. Разное.",
        "Постановили: отметить работу библиотек.",
    ],
    ids=["prose only", "an agenda only", "a resolution without numbers"],
)
def test_minutes_without_numbered_items_are_refused(text):
    with pytest.raises(IntakeRejected) as caught:
        parse_minutes(text)
    assert caught.value.code == "no_items"
    assert caught.value.message.startswith(
        "В протоколе не найдено пронумерованных пунктов. Пункты протокола должны идти "
        "нумерованным списком («1. …», «2. …»)"
    )


@pytest.mark.parametrize("items", [20, 200])
def test_generated_minutes_of_many_items_parse_whole(items):
    draft = parse_minutes(minutes_text(items))
    assert sum(1 for _ in draft.items()) == items
    assert draft.all_flags() == []
    decisions = draft.sections[1].items
    assert all(d.due and d.due.date for d in decisions)
    assert all(d.responsible for d in decisions)
    admissions = [i for i in draft.items() if i.kind == ADMISSION]
    assert admissions and all(len(i.admitted) == 4 for i in admissions)


def test_a_letterhead_above_the_title_is_the_host_organisation():
    draft = parse_minutes(
        "Государственная научная библиотека Кузбасса им. В.Д. Федорова\n"
        "ПРОТОКОЛ\nзаседания Клуба деловых встреч методистов Кузбасса\n«Летнее чтение»\n"
        "23.06.2021\n\nПостановили:\n1. Отметить работу библиотек."
    )
    heading = draft.heading
    assert heading.venue.written == "Государственная научная библиотека Кузбасса им. В.Д. Федорова"
    assert heading.title == "Заседание Клуба деловых встреч методистов Кузбасса"
    assert heading.topic == "Летнее чтение"
    assert heading.date == datetime.date(2021, 6, 23)
    assert draft.flags == ()


def test_format_and_kind_words_elsewhere_must_be_about_the_meeting():
    draft = parse_minutes(
        "Заседание Клуба\n23 июня 2021 г.\n\nОбсуждены онлайн-ресурсы библиотек и "
        "ежегодный отчёт.\n\nПостановили:\n1. Отметить работу библиотек."
    )
    assert (draft.heading.format, draft.heading.kind) == ("", "")
    draft = parse_minutes(
        "Заседание Клуба\n23 июня 2021 г.\n\nЗаседание прошло очно. Участники очередного "
        "заседания обсудили онлайн-ресурсы.\n\nПостановили:\n1. Отметить работу."
    )
    assert (draft.heading.format, draft.heading.kind) == ("offline", "regular")
