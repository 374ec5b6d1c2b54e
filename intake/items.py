"""What one numbered item says: its kind, the people it admits or thanks, its deadline and
who carries it out. The item's text is never changed; these are read from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from . import russian
from .dates import find_deadline
from .draft import (
    ADMISSION,
    ALL_LIBRARY_SYSTEMS,
    DECISION,
    DECISIONS,
    GRATITUDE,
    NOTE,
    OTHER,
    Flag,
    Item,
    OrgMention,
    Person,
    Recipient,
)

_EDGE = " \t\n,;.:–—-"
_PUNCTUATION = "«»\"'()[],.:;!?"
# Head nouns of organisations' names (lemmas), besides abbreviations and legal forms.
_ORG_HEADS = frozenset(
    {
        "библиотека",
        "система",
        "музей",
        "центр",
        "отдел",
        "сектор",
        "служба",
        "учреждение",
        "управление",
        "департамент",
        "министерство",
        "комитет",
        "администрация",
        "архив",
        "школа",
        "колледж",
        "университет",
        "институт",
        "академия",
        "дом",
        "дворец",
        "филиал",
        "библиотека-филиал",
        "издательство",
        "фонд",
        "ассоциация",
    }
)


@lru_cache(maxsize=20_000)
def mention(written: str) -> OrgMention:
    """An organisation mention with its matching key (and its nominative, to create it)."""
    written = written.strip(_EDGE)
    group = ALL_LIBRARY_SYSTEMS if russian.means_all_library_systems(written) else ""
    return OrgMention(
        written=written,
        key=russian.org_key(written),
        group=group,
        nominative="" if group else russian.phrase_nominative(written),
    )


# ---------------------------------------------------------------------------- kinds

_NOTE = re.compile(r"^\W*(?:отметить|принять\b.{0,60}?\bк\s+сведению|к\s+сведению)", re.I | re.S)
_ADMISSION = re.compile(
    r"^\W*(?:ввести|включить|принять)\b.{0,80}?\bв\s+(?:состав|члены|ряды)\b", re.I | re.S
)
_GRATITUDE = re.compile(
    r"^\W*(?:(?:выразить|объявить|вынести)\b.{0,30}?благодарност|поблагодарить|благодарить)",
    re.I | re.S,
)


def item_kind(text: str, section: str) -> str:
    """The kind an item's first words give it: «Выразить благодарность» → gratitude,
    «Отметить» / «Принять к сведению» → note, «Ввести в состав» / «Принять в члены» →
    admission; any other item of the decisions section is a decision, elsewhere «other»."""
    folded = russian.fold_yo(text)
    if _GRATITUDE.search(folded):
        return GRATITUDE
    if _ADMISSION.search(folded):
        return ADMISSION
    if _NOTE.search(folded):
        return NOTE
    return DECISION if section == DECISIONS else OTHER


# ---------------------------------------------------------------------------- splitting


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    text: str


def _split_top(text: str, *, on_and: bool = True) -> list[_Piece]:
    """``text`` cut at commas, semicolons (and «и») outside brackets and quotes."""
    pieces, depth, quote, start, i = [], 0, 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif ch == "«":
            quote += 1
        elif ch == "»" and quote:
            quote -= 1
        elif not depth and not quote:
            cut = 0
            if ch in ",;":
                cut = 1
            elif on_and and text.startswith(" и ", i):
                cut = 3
            if cut:
                pieces.append(_Piece(start, i, text[start:i]))
                start = i + cut
                i += cut
                continue
        i += 1
    pieces.append(_Piece(start, len(text), text[start:]))
    return [p for p in pieces if p.text.strip(_EDGE)]


def _tokens(text: str) -> list[re.Match]:
    return list(re.finditer(r"\S+", text))


def _core(token: str) -> str:
    return token.strip(_PUNCTUATION)


def _is_org_head(core: str) -> bool:
    if not core:
        return False
    if russian.is_abbreviation(core):
        return True
    return russian.lemma(core) in _ORG_HEADS


def split_position_org(segment: str) -> tuple[str, OrgMention | None]:
    """«директору Государственной научной библиотеки Кузбасса» → («директор», the library);
    «коллективу МИБС г. Кемерово» → («коллектив», МИБС г. Кемерово). The organisation
    starts at its head noun or abbreviation, with the adjectives that agree with it."""
    segment = segment.strip(_EDGE)
    tokens = _tokens(segment)
    head = next((i for i, t in enumerate(tokens) if _is_org_head(_core(t.group(0)))), None)
    if head is None:
        return _position(segment), None
    start = head
    head_core = _core(tokens[head].group(0))
    head_readings = [p for p in russian.readings(head_core.lower()) if p.tag.case]
    while start > 0:
        core = _core(tokens[start - 1].group(0)).lower()
        readings = [p for p in russian.readings(core) if p.tag.POS in ("ADJF", "PRTF")]
        if russian.is_abbreviation(head_core):
            agreeing = bool(readings)  # «Полысаевской ЦБС»: an abbreviation has no case
        else:
            agreeing = any(
                p.tag.case == q.tag.case and p.tag.number == q.tag.number
                for p in readings
                for q in head_readings
            )
        if not agreeing:
            break
        start -= 1
    position = segment[: tokens[start].start()] if start else ""
    return _position(position), mention(segment[tokens[start].start() :])


def _position(text: str) -> str:
    text = text.strip(_EDGE)
    if not text:
        return ""
    nominative = russian.phrase_nominative(text)
    return nominative[:1].lower() + nominative[1:] if not text[:1].isupper() else nominative


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    piece = text[start:end]
    for word in (" и", " а также"):
        if piece.endswith(word):
            end -= len(word)
            return _clean_span(text, start, end)
    if piece.startswith("и "):
        return _clean_span(text, start + 2, end)
    return start, end


# ---------------------------------------------------------------------------- people


def admitted_people(text: str) -> tuple[tuple[Person, ...], list[Flag]]:
    """The people an admission item names (in the accusative), in the nominative, each with
    the organisation written after her: «(МИБС г.Новокузнецка)» or «, методиста ЦБС …»."""
    found = russian.find_people(text, russian.ACCUSATIVE)
    people, covered, flags = [], [], []
    for n, person in enumerate(found):
        stop = found[n + 1].start if n + 1 < len(found) else len(text)
        after = text[person.end : stop]
        organisation, position, used = None, "", 0
        bracket = re.match(r"\s*\(([^()]*)\)", after)
        if bracket:
            organisation = mention(bracket.group(1)) if bracket.group(1).strip() else None
            used = bracket.end()
        else:
            piece = _split_top(after, on_and=False)
            if piece and not after[: piece[0].start].strip(" ,–—-"):
                start, end = _clean_span(after, piece[0].start, piece[0].end)
                if start < end:
                    position, organisation = split_position_org(after[start:end])
                    used = end
        covered.append((person.start, person.end + used))
        people.append(
            Person(
                written=person.written,
                name=person.name,
                organisation=organisation,
                position=position,
            )
        )
        if organisation is None:
            flags.append(
                Flag(
                    "member_without_organisation",
                    _("No organisation is given for %(name)s.") % {"name": person.name},
                    person.written,
                )
            )
    if not people:
        flags.append(
            Flag("admission_without_names", _("No names were recognised in this admission item."))
        )
        return (), flags
    # Whatever stands in the list after the colon and is not a name with its organisation
    colon = text.find(":")
    list_start = colon + 1 if 0 <= colon < found[0].start else found[0].start
    for piece in _split_top(text[list_start:]):
        start, end = _clean_span(text, list_start + piece.start, list_start + piece.end)
        if start >= end or not re.search(r"[А-Яа-яЁё]", text[start:end]):
            continue
        if not any(a <= start < b or a < end <= b or (start <= a and b <= end) for a, b in covered):
            flags.append(
                Flag(
                    "admission_unread",
                    _("This part of the list was not recognised as a name: «%(text)s».")
                    % {"text": text[start:end]},
                    text[start:end],
                )
            )
    return tuple(people), flags


_THANKS = re.compile(r"благодарност\w*|поблагодарить|благодарить", re.I)


def gratitude_recipients(text: str) -> tuple[tuple[Recipient, ...], list[Flag]]:
    """Whom a gratitude thanks (in the dative), from the words after «благодарность» up to
    «за …»: people with their position and organisation, or organisations alone."""
    thanks = _THANKS.search(text)
    if not thanks:
        return (), []
    rest = text[thanks.end() :]
    reason = re.search(r"\s+за\s+", rest)
    phrase = rest[: reason.start()] if reason else rest
    found = russian.find_people(phrase, russian.DATIVE)
    recipients = []
    for n, person in enumerate(found):
        before = _strip_and(phrase[found[n - 1].end if n else 0 : person.start]).strip(_EDGE)
        after = phrase[person.end : found[n + 1].start if n + 1 < len(found) else len(phrase)]
        if re.search(r"[А-Яа-яЁё]{2}", before):
            segment = before  # «директору ГНБК Никулиной В. А.»
        elif after.lstrip().startswith((",", "–", "—", "(")):
            segment = _strip_and(after).strip(_EDGE + "()")  # «Никулиной В. А., директору ГНБК»
        else:
            segment = ""
        position, organisation = split_position_org(segment)
        recipients.append(
            Recipient(
                written=person.written,
                person=Person(
                    written=person.written,
                    name=person.name,
                    organisation=organisation,
                    position=position,
                ),
            )
        )
    if not found:
        for piece in _split_top(phrase):
            written = piece.text.strip(_EDGE)
            if not written:
                continue
            position, organisation = split_position_org(written)
            recipients.append(
                Recipient(written=written, organisation=organisation, position=position)
            )
    if not recipients:
        return (), [
            Flag(
                "gratitude_without_recipient",
                _("The recipient of the gratitude was not recognised."),
            )
        ]
    return tuple(recipients), []


def _strip_and(text: str) -> str:
    return re.sub(r"^\s*(?:,|и\b|а\s+также\b)\s*|\s*(?:,|\bи|\bа\s+также)\s*$", "", text)


# ---------------------------------------------------------------------------- decisions

_ASSIGNING = re.compile(r"^\W*(?:рекомендовать|поручить|предложить|обязать)\s+", re.I)
_EXPLICIT = re.compile(
    r"(?:ответственн\w*|исполнител\w*)\s*[:–—-]\s*(?P<who>[^;()\n]+?)"
    r"\s*(?=[;()\n]|[.,]?\s*срок\b|\.\s*$|$)",
    re.I,
)
# Where a dative phrase stops being the responsible one: «… совместно с ГНБК провести».
_TOGETHER = re.compile(
    r"\s+(?:совместно\s+с|при\s+участии|с\s+участием|с\s+привлечением)\s+.*$", re.I | re.S
)


def _is_infinitive(core: str) -> bool:
    if not core or russian.is_abbreviation(core):
        return False
    return any(p.tag.POS == "INFN" for p in russian.readings(core.lower())[:3])


def _can_be_dative(core: str) -> bool:
    if russian.is_abbreviation(core):
        return True
    return any(
        p.tag.case == "datv" and p.tag.POS in ("NOUN", "ADJF", "PRTF", "ADJS")
        for p in russian.readings(core.lower())
    )


def _leading_phrase(text: str, *, dative: bool) -> str:
    """The words before the first infinitive, when they open with a dative (or, after
    «обязать», any) noun phrase: «Научно-методическому отделу ГНБК подготовить …»."""
    tokens = _tokens(text)
    name_only = False  # «Девятых Ирине Анатольевне подготовить …»: a dative only as a name
    for i, token in enumerate(tokens[:25]):
        core = _core(token.group(0))
        if _is_infinitive(core):
            if i == 0:
                return ""
            phrase = _TOGETHER.sub("", text[: token.start()]).strip(_EDGE)
            if name_only:
                people = russian.find_people(phrase, russian.DATIVE)
                return phrase if people and people[0].start == 0 else ""
            return phrase
        if i == 0 and dative and not _can_be_dative(core):
            if not core[:1].isupper():
                return ""
            name_only = True
    return ""


def responsible(text: str) -> tuple[tuple[OrgMention, ...], tuple[Person, ...]]:
    """Who carries a decision out: «Ответственные: …», a dative phrase before the first
    infinitive («Научно-методическому отделу ГНБК подготовить …»), or after «Рекомендовать»,
    «Поручить», «Предложить» («… библиотечным системам области провести …»)."""
    case = russian.DATIVE
    explicit = _EXPLICIT.search(text)
    if explicit:
        phrase, case = explicit.group("who"), russian.NOMINATIVE
    else:
        assigning = _ASSIGNING.match(text)
        rest = text[assigning.end() :] if assigning else text
        dative = not (assigning and assigning.group(0).strip().lower().startswith("обязать"))
        if not dative:
            case = russian.ACCUSATIVE
        phrase = _leading_phrase(rest, dative=dative)
    if not phrase:
        return (), ()
    spans: list[list[int]] = []
    for piece in _split_top(phrase):
        start, end = _clean_span(phrase, piece.start, piece.end)
        first = _core(phrase[start:end].split()[0]) if phrase[start:end].split() else ""
        starts_new = case != russian.DATIVE or _can_be_dative(first) or first.lower() == "всем"
        if spans and not starts_new:
            spans[-1][1] = end  # «ЦБС Киселевского и Беловского округов»: one mention
        elif start < end:
            spans.append([start, end])
    pieces = [phrase[start:end] for start, end in spans]
    organisations, people = [], []
    for written in pieces:
        found = russian.find_people(written, case)
        if found:
            for person in found:
                people.append(Person(written=person.written, name=person.name))
        elif written:
            organisations.append(mention(written))
    return tuple(organisations), tuple(people)


# ---------------------------------------------------------------------------- one item


def read_item(*, section: str, number: int, label: str, text: str) -> Item:
    kind = item_kind(text, section)
    flags: list[Flag] = []
    admitted: tuple[Person, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    due = None
    organisations: tuple[OrgMention, ...] = ()
    people: tuple[Person, ...] = ()
    if kind == ADMISSION:
        admitted, more = admitted_people(text)
        flags += more
    elif kind == GRATITUDE:
        recipients, more = gratitude_recipients(text)
        flags += more
    elif kind in (DECISION, OTHER):
        due = find_deadline(text)
        organisations, people = responsible(text)
        if due is not None and due.date is None:
            flags.append(
                Flag(
                    "deadline_without_date",
                    _("The deadline «%(text)s» gives no full date; set it by hand if it has one.")
                    % {"text": due.written},
                    due.written,
                )
            )
    if kind == OTHER:
        flags.append(
            Flag("kind_not_recognised", _("The kind of this item was not recognised; choose it."))
        )
    return Item(
        section=section,
        number=number,
        label=label,
        text=text,
        kind=kind,
        admitted=admitted,
        recipients=recipients,
        due=due,
        responsible=organisations,
        responsible_people=people,
        flags=tuple(flags),
    )
