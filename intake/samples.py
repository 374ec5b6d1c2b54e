"""Minutes made up for tests and the benchmark: any number of items in the seed's style, and
any minutes text turned into a Word document with Word's own list numbering."""

from __future__ import annotations

import io
import random
import re

# People with their accusative and dative forms, written by hand (the intake must find the
# nominative): indeclinable and consonant-final surnames, ё, hyphens, rare first names.
PEOPLE = [
    ("Девятых Ирина Анатольевна", "Девятых Ирину Анатольевну", "Девятых Ирине Анатольевне"),
    ("Кентнер Наталья Евгеньевна", "Кентнер Наталью Евгеньевну", "Кентнер Наталье Евгеньевне"),
    (
        "Андреева Елена Александровна",
        "Андрееву Елену Александровну",
        "Андреевой Елене Александровне",
    ),
    ("Исаенкова Анна Владимировна", "Исаенкову Анну Владимировну", "Исаенковой Анне Владимировне"),
    ("Черных Олег Викторович", "Черных Олега Викторовича", "Черных Олегу Викторовичу"),
    (
        "Бондаренко Оксана Николаевна",
        "Бондаренко Оксану Николаевну",
        "Бондаренко Оксане Николаевне",
    ),
    ("Ковальчук Андрей Петрович", "Ковальчука Андрея Петровича", "Ковальчуку Андрею Петровичу"),
    ("Ковальчук Марина Сергеевна", "Ковальчук Марину Сергеевну", "Ковальчук Марине Сергеевне"),
    ("Фёдорова Алёна Семёновна", "Фёдорову Алёну Семёновну", "Фёдоровой Алёне Семёновне"),
    ("Соловьёва Любовь Ильинична", "Соловьёву Любовь Ильиничну", "Соловьёвой Любови Ильиничне"),
    ("Кузнецов Илья Ильич", "Кузнецова Илью Ильича", "Кузнецову Илье Ильичу"),
    (
        "Иванова-Петрова Анна Сергеевна",
        "Иванову-Петрову Анну Сергеевну",
        "Ивановой-Петровой Анне Сергеевне",
    ),
    ("Толстой Лев Николаевич", "Толстого Льва Николаевича", "Толстому Льву Николаевичу"),
    (
        "Лащевская Валентина Михайловна",
        "Лащевскую Валентину Михайловну",
        "Лащевской Валентине Михайловне",
    ),
    ("Шевченко Тарас Григорьевич", "Шевченко Тараса Григорьевича", "Шевченко Тарасу Григорьевичу"),
    ("Галиева Гульнара Рашидовна", "Галиеву Гульнару Рашидовну", "Галиевой Гульнаре Рашидовне"),
]
# Organisations of the demo as minutes write them (for an admitted member, in brackets).
ORGANISATIONS = [
    "МИБС г.Новокузнецка",
    "Польсаевскую ЦБС",
    "ЦБС Киселевского городского округа",
    "МИБС г. Кемерово",
    "ЦБС г. Белово",
    "МБУК «ЦБС» Юргинского городского округа",
    "ЦБС г. Междуреченска",
    "ЦБС Анжеро-Судженского городского округа",
]
# Who carries a decision out, in the dative, and how the due date is written.
RESPONSIBLE = [
    "Научно-методическому отделу ГНБК",
    "Библиотечным системам области",
    "МИБС г. Кемерово",
    "Полысаевской ЦБС",
    "ЦБС г. Юрги",
]
DEADLINES = [
    ("в срок до 1 марта 2024 г.", "2024-03-01"),
    ("к 15 мая 2024 г.", "2024-05-15"),
    ("до конца 2024 года", "2024-12-31"),
    ("не позднее 30 сентября 2024 г.", "2024-09-30"),
    ("до 01.12.2024", "2024-12-01"),
]
_TASKS = [
    "провести мониторинг внестационарного обслуживания населения в летний период",
    "подготовить методические рекомендации по организации библиотечных площадок под открытым небом",
    "обобщить опыт проведения внутренних профессиональных конкурсов",
    "организовать обучение специалистов ведению статистического учёта",
    "представить сведения о работе «Библиотечного дворика» (форма № 3)",
]

HEADING = """Ежегодное заседание Клуба деловых встреч
методистов Кузбасса
Тема: «Практика методической работы»

**23 июня 2021 г.**

Государственная научная библиотека Кузбасса им. В.Д.Федорова

В рамках онлайн-заседания Клуба деловых встреч методистов Кузбасса рассмотрен опыт \
внестационарного обслуживания населения в летний период – одного из приоритетных \
направлений работы библиотек региона.

Участники ежегодного заседания Клуба деловых встреч методистов Кузбасса (далее Клуба), \
рассмотрев опыт внестационарной работы, проведения внутренних профессиональных конкурсов, \
организации статистического учета в ЦБС, постановили:
"""


def minutes_text(items: int, *, seed: int = 0) -> str:
    """Minutes of ``items`` numbered items (at least 4) in the seed's layout: a third in the
    «постановили» section (gratitudes, notes, admissions of four people each), the rest
    decisions with a responsible body and a due date. The same text for the same seed."""
    rng = random.Random(seed)
    resolved = max(3, items // 3)
    decisions = max(1, items - resolved)
    lines = [HEADING]
    people = iter(PEOPLE * (items // 2 + 4))
    for n in range(1, resolved + 1):
        kind = (n - 1) % 3
        if kind == 0:
            _nom, _acc, dative = next(people)
            text = (
                f"Выразить благодарность директору Государственной научной библиотеки Кузбасса "
                f"им. В.Д.Федорова {dative} за предоставленную возможность профессионального "
                "общения."
            )
        elif kind == 1:
            text = (
                "Отметить положительную динамику числа посещений библиотек, связанных с ростом "
                "количества внестационарных мероприятий."
            )
        else:
            members = [f"{next(people)[1]} ({rng.choice(ORGANISATIONS)})" for _ in range(4)]
            text = (
                "Ввести в состав Клуба деловых встреч методистов Кузбасса: "
                + ", ".join(members)
                + "."
            )
        lines.append(f"{n}. {text}")
    lines.append("\nПо итогам мероприятия приняты следующие решения:\n")
    for n in range(1, decisions + 1):
        who = RESPONSIBLE[(n - 1) % len(RESPONSIBLE)]
        deadline = DEADLINES[(n - 1) % len(DEADLINES)][0]
        task = _TASKS[rng.randrange(len(_TASKS))]
        lines.append(f"{n}. {who} {task} {deadline}")
    return "\n".join(lines) + "\n"


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(.*)$", re.S)
_ABSTRACT_ID = "90"


def minutes_docx(text: str, *, tables: list[list[list[str]]] | None = None) -> bytes:
    """A Word document of the minutes text, as Word writes a numbered list: the numbers are
    not in the paragraphs' text but drawn by numbering.xml (numPr), restarting at 1 in each
    list. «**…**» lines are bold; ``tables`` (rows of cells) are added at the end."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum xmlns:w="{_W_NS}" w:abstractNumId="{_ABSTRACT_ID}">'
            '<w:multiLevelType w:val="hybridMultilevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="russianLower"/>'
            '<w:lvlText w:val="%2)"/><w:lvlJc w:val="left"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    num_id = None
    in_list = False
    for line in text.split("\n"):
        line = line.rstrip()
        if not line.strip():
            continue
        numbered = _NUMBERED.match(line)
        if numbered:
            if not in_list:
                num = numbering.add_num(int(_ABSTRACT_ID))
                num.add_lvlOverride(ilvl=0).add_startOverride(1)
                num_id = num.numId
                in_list = True
            paragraph = document.add_paragraph(numbered.group(2), style="List Paragraph")
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
            continue
        in_list = False
        bold = line.startswith("**") and line.endswith("**")
        paragraph = document.add_paragraph()
        paragraph.add_run(line.strip("*") if bold else line).bold = bold or None
    for rows in tables or []:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
