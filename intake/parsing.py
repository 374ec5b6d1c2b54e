"""Paragraphs of a set of minutes → a ``MinutesDraft``: heading, agenda, preamble, sections.

The club's minutes run: a heading (the kind of meeting and the Club, «Тема: «…»», the date
in words, the host library), a preamble, then one or more sections, each an introductory
phrase ending in a colon («Участники …, рассмотрев …, постановили:», «По итогам
мероприятия приняты следующие решения:») followed by numbered items. Every paragraph ends
up somewhere in the draft; one the intake cannot place is kept and flagged.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import russian
from .dates import full_dates
from .draft import (
    ADMISSION,
    ANNUAL,
    DECISIONS,
    EXTRAORDINARY,
    GRATITUDE,
    HYBRID,
    OFFLINE,
    ONLINE,
    REGULAR,
    RESOLVED,
    VISITING,
    AgendaQuestion,
    Flag,
    Heading,
    Item,
    MinutesDraft,
    Section,
)
from .items import mention, read_item
from .reading import IntakeRejected, Paragraph, ReadDocument, read_text

_NUMBER = re.compile(
    r"^\s*(?P<label>\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})+)"
    r"(?:[ \t\u00a0]+|(?=[А-ЯЁA-Z«\"]))(?P<body>\S.*)$",
    re.S,
)
_BULLET = re.compile(r"^\s*(?P<label>[-–—•·*▪●◦○■□✓➢►])[ \t\u00a0]+(?P<body>\S.*)$", re.S)
_LETTER = re.compile(r"^\s*(?P<label>[а-яa-z]\))[ \t\u00a0]+(?P<body>\S.*)$", re.S)
_AGENDA = re.compile(
    r"^\W*(?:повестка(?:\s+(?:дня|заседания|встречи))?|вопросы\s+повестки(?:\s+дня)?)"
    r"\s*[:.]?\s*(?P<rest>.*)$",
    re.I | re.S,
)
_RESOLVED_WORDS = re.compile(r"постанови|решил", re.I)
_DECISIONS_WORDS = re.compile(r"решени|рекомендова|рекомендаци", re.I)
_CLOSING = re.compile(
    r"^\W*(?:председател|секретар|подпис|протокол\s+вел|ведущ(?:ий|ая)\b|руководител)", re.I
)
_TOPIC = re.compile(
    r"^тема(?:\s+(?:заседания|встречи|мероприятия))?\s*[:–—-]\s*(?P<t>.+)$", re.I | re.S
)
_MINUTES_NUMBER = re.compile(r"\bпротокол\b[^№\n]{0,40}№\s*(?P<n>[\w/.-]+)", re.I)
_PROTOCOL_WORD = re.compile(r"^\W*протокол\b(?:\s*№\s*[\w/.-]+)?\s*", re.I)
_VENUE = re.compile(r"^(?:место\s+проведения|площадка|где)\s*[:–—-]\s*(?P<v>.+)$", re.I | re.S)
_ADDRESS = re.compile(r"\bул\.|\bулица\b|\bпр\.|\bпр-т\b|\bпроспект\b|\bд\.\s*\d|\bпл\.\s", re.I)
_FORMAT_LINE = re.compile(r"^форма(?:\s+проведения)?\s*[:–—-]", re.I)
_QUOTED = re.compile(r"^[«\"“](?P<t>.+)[»\"”]\.?$", re.S)
_TOPIC_IN_TITLE = re.compile(r"\bпо\s+теме\s*[:–—-]?\s*[«\"“](?P<t>[^»\"”]+)[»\"”]", re.I)
_CONSIDERED = re.compile(
    r"\bрассмотрев\s+(?P<what>.+?)(?:,?\s*(?:постановили|решили|приняли)\b|\s*[:;.]\s*$|$)",
    re.I | re.S,
)
_TITLE_WORDS = re.compile(r"заседани|встреч|собрани|совещани|семинар|клуб|протокол", re.I)
_MARKDOWN_EMPHASIS = re.compile(r"^[*_]+|[*_]+$")

_KINDS = (
    (re.compile(r"ежегодн", re.I), ANNUAL),
    (re.compile(r"внеочередн", re.I), EXTRAORDINARY),
    (re.compile(r"(?<!вне)очередн", re.I), REGULAR),
    (re.compile(r"выездн", re.I), VISITING),
)
_HYBRID = re.compile(
    r"гибридн|смешанн|очно-дистанц|очно-заочн|очно\s+и\s+(?:онлайн|дистанц)"
    r"|в\s+очном\s+и\s+(?:онлайн|дистанц|заочн)|очного\s+и\s+(?:онлайн|дистанц)",
    re.I,
)
_ONLINE = re.compile(
    r"онлайн|он-лайн|online|дистанционн|видеоконференц|видеосвяз|\bzoom\b|вебинар", re.I
)
_OFFLINE = re.compile(r"\bочн(?:ое|о|ом|ого|ая|ой|ый|ым)\b", re.I)

# Words of the agenda that say nothing about which question an item follows.
_GENERIC = frozenset(
    {
        "работа",
        "деятельность",
        "библиотека",
        "библиотечный",
        "вопрос",
        "опыт",
        "проведение",
        "организация",
        "развитие",
        "клуб",
        "год",
        "цбс",
        "мибс",
        "новый",
        "форма",
        "кузбасс",
        "область",
        "муниципальный",
    }
)


@dataclass
class _Line:
    index: int
    paragraph: Paragraph
    label: str
    body: str
    list_kind: str  # "number", "bullet", "letter" or ""
    level: int

    @property
    def shown(self) -> str:
        return self.paragraph.shown

    @property
    def gap(self) -> str:
        return "\n\n" if self.paragraph.blank_before else "\n"


def _line(index: int, paragraph: Paragraph) -> _Line:
    if paragraph.label:
        label = paragraph.label
        kind = (
            "number"
            if re.search(r"\d", label)
            else ("letter" if re.search(r"[A-Za-zА-Яа-яЁё]", label) else "bullet")
        )
        return _Line(index, paragraph, label, paragraph.text, kind, paragraph.level)
    for kind, pattern in (("number", _NUMBER), ("bullet", _BULLET), ("letter", _LETTER)):
        match = pattern.match(paragraph.text)
        if match:
            label = match.group("label")
            level = label.rstrip(".)").count(".") if kind == "number" else 1
            return _Line(index, paragraph, label, match.group("body"), kind, level)
    return _Line(index, paragraph, "", paragraph.text, "", 0)


def _plain(text: str) -> str:
    """A heading line without Markdown's emphasis marks and stray spaces."""
    return _MARKDOWN_EMPHASIS.sub("", text.strip()).strip()


def _section_kind(line: _Line, following: _Line | None) -> str | None:
    if line.list_kind or line.paragraph.in_table or len(line.body) > 1500:
        return None
    text = _plain(line.body)
    if not (text.endswith(":") or (following is not None and following.list_kind)):
        return None
    if _RESOLVED_WORDS.search(text):
        return RESOLVED
    if _DECISIONS_WORDS.search(text):
        return DECISIONS
    return None


def _heading_like(line: _Line) -> bool:
    text = _plain(line.body)
    if line.list_kind or not text or len(text) > 300 or len(text.split()) > 30:
        return False
    if _AGENDA.match(text) and not _TITLE_WORDS.search(text):
        return False
    if full_dates(text) or _TOPIC.match(text) or _QUOTED.match(text):
        return True
    return not text.endswith((".", "!", "?", ":")) or text.endswith(" г.")


# ---------------------------------------------------------------------------- the draft


def parse_minutes(source: ReadDocument | str) -> MinutesDraft:
    """The draft of a set of minutes. Raises ``IntakeRejected`` when it has no numbered
    items (it is then not minutes the intake can take)."""
    document = read_text(source) if isinstance(source, str) else source
    lines = [_line(i, p) for i, p in enumerate(document.paragraphs)]
    flags: list[Flag] = []

    intros = [
        (i, kind)
        for i, line in enumerate(lines)
        if (kind := _section_kind(line, lines[i + 1] if i + 1 < len(lines) else None))
    ]
    first_section = intros[0][0] if intros else _first_list_line(lines)
    if first_section is None:
        raise _no_items()

    heading_end = 0
    while heading_end < min(first_section, 15) and _heading_like(lines[heading_end]):
        heading_end += 1
    heading_lines = lines[:heading_end]

    heading = _heading(heading_lines, flags)
    agenda, agenda_lines = _explicit_agenda(lines, first_section)
    intro_start = first_section
    if intros and first_section > heading_end and len(_plain(lines[first_section].body)) <= 40:
        # «Участники …, рассмотрев …,» on one line, «ПОСТАНОВИЛИ:» on the next: one phrase
        before = lines[first_section - 1]
        text = before.body.rstrip()
        if (
            not before.list_kind
            and before.index not in agenda_lines
            and text
            and text[-1] not in ".!?:;»"
        ):
            intro_start = first_section - 1
    preamble_lines = [
        line for line in lines[heading_end:intro_start] if line.index not in agenda_lines
    ]
    preamble = _joined(preamble_lines)

    sections, closing, unplaced = _sections(lines, intros, intro_start, first_section, flags)
    if not any(section.items for section in sections):
        raise _no_items()

    intro_texts = " ".join(s.intro for s in sections)
    # The heading may say it in a word; elsewhere the word must be about the meeting
    # («онлайн-заседания», not «онлайн-ресурсы»; «ежегодного заседания», not «ежегодный
    # отчёт»).
    elsewhere = f"{preamble} {intro_texts}"
    heading = dataclasses.replace(
        heading,
        kind=heading.kind or _meeting_kind(elsewhere, of_meeting=True),
        format=_meeting_format(" ".join(heading.lines))
        or _meeting_format(elsewhere, of_meeting=True),
    )
    if not agenda:
        agenda = _agenda_from_intro(sections[0].intro if sections else "", preamble)
    sections = _with_agenda_links(sections, agenda)
    return MinutesDraft(
        heading=heading,
        agenda=tuple(agenda),
        preamble=preamble,
        sections=tuple(sections),
        closing=tuple(closing),
        unplaced=tuple(unplaced),
        flags=tuple(flags),
    )


def _no_items() -> IntakeRejected:
    return IntakeRejected(
        _(
            "No numbered items were found. The intake expects the items of the minutes as a "
            "numbered list («1. …», «2. …») after a phrase such as «постановили:» or "
            "«приняты следующие решения:»."
        ),
        "no_items",
    )


def _first_list_line(lines: list[_Line]) -> int | None:
    for i, line in enumerate(lines):
        if line.list_kind == "number" and not _continues_agenda(lines, i):
            return i
    return None


def _continues_agenda(lines: list[_Line], i: int) -> bool:
    """True when the list line ``i`` continues a list opened by «Повестка»."""
    j = i - 1
    while j >= 0 and lines[j].list_kind:
        j -= 1
    return (
        j >= 0
        and bool(_AGENDA.match(_plain(lines[j].body)))
        and not _TITLE_WORDS.search(lines[j].body)
    )


def _joined(lines: list[_Line]) -> str:
    out = ""
    for line in lines:
        out += (line.gap if out else "") + line.shown
    return out


# ---------------------------------------------------------------------------- sections


def _sections(lines, intros, intro_start, first_section, flags):
    sections: list[Section] = []
    closing: list[str] = []
    unplaced: list[str] = []
    bounds = []
    if intros:
        for n, (i, kind) in enumerate(intros):
            start = intro_start if n == 0 else i
            end = intros[n + 1][0] if n + 1 < len(intros) else len(lines)
            bounds.append((kind, start, i + 1, end))
    else:
        flags.append(
            Flag(
                "no_section_intro",
                _(
                    "No introductory phrase such as «постановили:» was found before the "
                    "items; they are taken as the «resolved» section."
                ),
            )
        )
        bounds.append((RESOLVED, first_section, first_section, len(lines)))
    counters = {RESOLVED: 0, DECISIONS: 0}
    seen_kinds = set()
    in_closing = False
    for kind, intro_from, body_from, end in bounds:
        intro = _joined(lines[intro_from:body_from])
        body = lines[body_from:end]
        if kind in seen_kinds:
            flags.append(
                Flag(
                    "repeated_section",
                    _(
                        "A second section of the same kind begins with «%(intro)s»: its items "
                        "continue the numbering of the first."
                    )
                    % {"intro": intro[:80]},
                    intro,
                )
            )
        seen_kinds.add(kind)
        item_kind = _item_list_kind(body)
        item_level = min((ln.level for ln in body if ln.list_kind == item_kind), default=0)
        pieces: list[list] = []  # [label, text]
        for line in body:
            if in_closing or (_CLOSING.match(line.body) and not line.list_kind):
                in_closing = True
                closing.append(line.shown)
                continue
            if line.list_kind == item_kind and line.level == item_level:
                pieces.append([line.label, line.body])
            elif pieces and (line.list_kind or _continues(pieces[-1][1], line)):
                pieces[-1][1] += "\n" + line.shown  # a continuation, or a sub-item
            else:
                unplaced.append(line.shown)
                flags.append(
                    Flag(
                        "unplaced",
                        _("This paragraph belongs to no item; it is kept as it is: «%(text)s».")
                        % {"text": _shortened(line.shown)},
                        line.shown,
                    )
                )
        items = []
        for label, text in pieces:
            counters[kind] += 1
            items.append(read_item(section=kind, number=counters[kind], label=label, text=text))
        _check_numbering(items, flags)
        sections.append(Section(kind=kind, intro=intro, items=tuple(items)))
    return sections, closing, unplaced


def _continues(text: str, line: _Line) -> bool:
    """Whether an unnumbered line goes on with the item before it: no gap between them, and
    the item is not finished («…в члены Клуба:», a line broken mid-sentence) or the line
    reads as its continuation (a small letter, a dash)."""
    if line.paragraph.blank_before:
        return False
    end = text.rstrip()[-1:]
    return end not in (".", "!", "?", "»", ")") or line.body[:1].islower()


def _item_list_kind(body: list[_Line]) -> str:
    kinds = {line.list_kind for line in body}
    if "number" in kinds:
        return "number"
    return "bullet" if "bullet" in kinds else "number"


def _check_numbering(items: list[Item], flags: list[Flag]) -> None:
    written = []
    for item in items:
        match = re.match(r"\d+", item.label)
        if not match:
            return
        written.append(int(match.group(0)))
    if written and written != list(range(1, len(written) + 1)):
        flags.append(
            Flag(
                "numbering",
                _(
                    "The items are numbered %(written)s in the document; they get the numbers "
                    "%(numbers)s in order."
                )
                % {
                    "written": ", ".join(map(str, written)),
                    "numbers": ", ".join(str(i.number) for i in items),
                },
            )
        )


def _shortened(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------- heading


def _heading(lines: list[_Line], flags: list[Flag]) -> Heading:
    title_parts: list[str] = []
    topic = date_written = number = address = ""
    date = None
    venue = None
    unknown: list[str] = []
    title_open = False
    for line in lines:
        text = _plain(line.body)
        continuing = (
            title_open
            and not line.paragraph.blank_before
            and text[:1].islower()
            and not (full_dates(text) or _ADDRESS.search(text) or _VENUE.match(text))
            and not re.match(r"^г\.\s*[А-ЯЁ]", text)  # «г. Кемерово»: the place, not the title
        )
        if continuing:
            title_parts.append(text)
            continue
        title_open = False
        number_match = _MINUTES_NUMBER.search(text)
        if number_match and not number:
            number = number_match.group("n").rstrip(".")
        topic_match = _TOPIC.match(text)
        if topic_match:
            topic = _unquoted(topic_match.group("t"))
            continue
        dates = [d for d in full_dates(text) if d.date]
        if dates and date is None:
            date, date_written = dates[0].date, dates[0].written
            rest = (text[: dates[0].start] + text[dates[0].end :]).strip(" ,.–—-")
            if rest and _ADDRESS.search(rest) or re.match(r"^г\.\s*\S+$", rest or ""):
                address = address or rest
            continue
        venue_match = _VENUE.match(text)
        if venue_match:
            venue = mention(venue_match.group("v"))
            continue
        if _ADDRESS.search(text):
            address = address or text
            continue
        if _FORMAT_LINE.match(text):
            continue  # read with the rest of the text by _meeting_format
        if _QUOTED.match(text) and not topic:
            topic = _unquoted(text)
            continue
        titled = _TITLE_WORDS.search(text)
        if not title_parts and not titled and venue is None and _looks_like_organisation(text):
            venue = mention(text)  # a letterhead above «ПРОТОКОЛ …»
            continue
        if not title_parts and (titled or venue is not None):
            title_parts.append(_PROTOCOL_WORD.sub("", text) if _PROTOCOL_WORD.match(text) else text)
            title_open = True
            if not title_parts[-1]:
                title_parts.pop()  # «ПРОТОКОЛ № 5» alone: the title follows
            continue
        if venue is None and _looks_like_organisation(text):
            venue = mention(text)
            continue
        unknown.append(line.shown)
        flags.append(
            Flag(
                "heading_line",
                _("This line of the heading was not recognised; it is kept: «%(text)s».")
                % {"text": _shortened(line.shown)},
                line.shown,
            )
        )
    if not title_parts and unknown:
        # no line says «заседание»: the first line not otherwise understood is the title
        first = unknown.pop(0)
        flags[:] = [f for f in flags if not (f.code == "heading_line" and f.text == first)]
        title_parts.append(_plain(first))
    title = " ".join(" ".join(title_parts).split())
    if title[:1].islower():
        title = russian.phrase_nominative(title)  # «заседания Клуба …» after «ПРОТОКОЛ»
    if not topic:
        in_title = _TOPIC_IN_TITLE.search(title)
        topic = in_title.group("t").strip() if in_title else ""
    if date is None:
        flags.append(Flag("no_date", _("The date of the meeting was not found; enter it.")))
    return Heading(
        title=title,
        kind=_meeting_kind(title),
        topic=topic,
        date=date,
        date_written=date_written,
        number=number,
        venue=venue,
        address=address,
        lines=tuple(line.shown for line in lines),
    )


def _unquoted(text: str) -> str:
    text = text.strip()
    match = _QUOTED.match(text)
    return match.group("t").strip() if match else text


def _looks_like_organisation(text: str) -> bool:
    words = russian.words(text)
    return any(
        russian.is_abbreviation(w) or russian.lemma(w) in ("библиотека", "музей", "центр", "дом")
        for w in words
    )


_OF_MEETING = r"(?=\w*[-\s]+(?:\w+\s+){0,2}(?:заседани|встреч|собрани|формат|режим))"
_MEETING_FORMAT_PHRASE = re.compile(
    r"\b(?:онлайн|он-лайн|очн|дистанционн|смешанн|гибридн|видеоконференц)\w*"
    r"[-\s]+(?:\w+\s+){0,2}(?:заседани|встреч|собрани|формат|режим)\w*"
    r"|(?:в\s+)?(?:формате|режиме)\s+(?:онлайн|видеоконференц\w*|он-лайн|zoom)"
    r"|(?:проходил\w*|прошл\w*|проводил\w*|состоял\w*)\s+(?:в\s+)?(?:онлайн|очно|дистанционно)"
    r"(?:\s+и\s+(?:онлайн|очно|дистанционно))?",
    re.I,
)


def _meeting_kind(text: str, *, of_meeting: bool = False) -> str:
    for pattern, kind in _KINDS:
        found = (
            re.search(pattern.pattern + _OF_MEETING, text, re.I)
            if of_meeting
            else pattern.search(text)
        )
        if found:
            return kind
    return ""


def _meeting_format(text: str, *, of_meeting: bool = False) -> str:
    if of_meeting:
        text = " ".join(m.group(0) for m in _MEETING_FORMAT_PHRASE.finditer(text))
    if _HYBRID.search(text):
        return HYBRID
    online, offline = bool(_ONLINE.search(text)), bool(_OFFLINE.search(text))
    if online and offline:
        return HYBRID
    return ONLINE if online else OFFLINE if offline else ""


# ---------------------------------------------------------------------------- agenda


def _explicit_agenda(lines, stop):
    """Questions listed after «Повестка:» (on its own line, or inline «Повестка: 1) …; 2) …»)."""
    for i in range(0, stop):
        match = _AGENDA.match(_plain(lines[i].body))
        if not match or lines[i].list_kind or _TITLE_WORDS.search(lines[i].body):
            continue
        used = {lines[i].index}
        titles = []
        rest = match.group("rest").strip()
        if rest:
            titles = [
                t.strip(" ;.,")
                for t in re.split(r"(?:^|[;\s])\s*\d{1,2}[.)]\s*", rest)
                if t.strip(" ;.,")
            ]
        j = i + 1
        while j < stop and lines[j].list_kind:
            titles.append(lines[j].body.strip().rstrip(";,."))
            used.add(lines[j].index)
            j += 1
        if titles:
            return [AgendaQuestion(n, t, "list") for n, t in enumerate(titles, 1)], used
    return [], set()


def _agenda_from_intro(intro: str, preamble: str) -> list[AgendaQuestion]:
    """«рассмотрев опыт внестационарной работы, проведения внутренних конкурсов, …» →
    «Опыт внестационарной работы», «Проведение внутренних конкурсов», …"""
    match = _CONSIDERED.search(intro) or _CONSIDERED.search(preamble.rsplit("\n", 1)[-1])
    if not match:
        return []
    what = match.group("what").strip(" ,")
    titles = []
    depth = 0
    current = ""
    for ch in what:
        depth += ch in "(«"
        depth -= ch in ")»" and depth > 0
        if ch in ",;" and not depth:
            titles.append(current)
            current = ""
        else:
            current += ch
    titles.append(current)
    out = []
    for title in titles:
        title = " ".join(title.split()).strip(" .")
        if title:
            out.append(AgendaQuestion(len(out) + 1, russian.phrase_nominative(title), "intro"))
    return out


def _with_agenda_links(sections: list[Section], agenda: list[AgendaQuestion]) -> list[Section]:
    """Each note and decision linked to the agenda question its words share (a suggestion)."""
    if not agenda:
        return sections
    keys = [set(russian.lemmas(q.title)) - _GENERIC for q in agenda]
    out = []
    for section in sections:
        items = []
        for item in section.items:
            link = None
            if item.kind not in (GRATITUDE, ADMISSION):
                words = set(russian.lemmas(item.text))
                scores = [len(words & k) for k in keys]
                best = max(scores)
                if best and scores.count(best) == 1:
                    link = scores.index(best) + 1
            items.append(dataclasses.replace(item, agenda_number=link))
        out.append(Section(kind=section.kind, intro=section.intro, items=tuple(items)))
    return out
