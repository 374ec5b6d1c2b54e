"""The Russian language layer of the intake: lemmas for search, people's names, organisations.

Everything rests on pymorphy3 with its OpenCorpora dictionary, loaded once per process on
first use (about 0.2 s and 26 MB); pytrovich's petrovich rules check a name's nominative by
inflecting it back. Nothing here touches Django or the database, so the search index, the
intake and the benchmark can all call it.

Why the name functions look the way they do (docs: the morphology report):
- ``normal_form`` is wrong for names: a woman's surname and patronymic get the masculine
  lemma (Андрееву → «андреев»), and «Девятых» becomes «девятый». The nominative is taken
  inside the word's lexeme, in the gender the first name and patronymic decide.
- The case cannot be told from the words alone (a man's genitive is his accusative), so the
  caller passes it: accusative for admissions, dative for gratitudes.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

NOMINATIVE, GENITIVE, DATIVE, ACCUSATIVE = "nomn", "gent", "datv", "accs"
INSTRUMENTAL, PREPOSITIONAL = "ablt", "loct"
CASES = (NOMINATIVE, GENITIVE, DATIVE, ACCUSATIVE, INSTRUMENTAL, PREPOSITIONAL)
FEMALE, MALE = "f", "m"
_GRAMMEME_OF_GENDER = {FEMALE: "femn", MALE: "masc"}

# ---------------------------------------------------------------------------- the analyser

_lock = threading.Lock()
_analyzer = None
_petrovich = None


def analyzer():
    """The process's one pymorphy3 analyser, loaded on first use (thread-safe)."""
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                import pymorphy3

                _analyzer = pymorphy3.MorphAnalyzer(lang="ru")
    return _analyzer


def _petrovich_maker():
    global _petrovich
    if _petrovich is None:
        with _lock:
            if _petrovich is None:
                from pytrovich.maker import PetrovichDeclinationMaker

                _petrovich = PetrovichDeclinationMaker()
    return _petrovich


@lru_cache(maxsize=100_000)
def _parses(word: str) -> tuple:
    """pymorphy3's readings of a lower-case word (cached: running text repeats its words)."""
    return tuple(analyzer().parse(word))


def readings(word: str) -> tuple:
    """pymorphy3's readings (parses) of a word, best first."""
    return _parses(word.lower())


# ---------------------------------------------------------------------------- words

_YO = str.maketrans("ёЁ", "еЕ")
# Latin letters that look Cyrillic, typed or pasted into a Cyrillic word («ЦБC», «MИБС»).
_LATIN_LOOKALIKES = str.maketrans("ABCEHKMOPTXaceopxy", "АВСЕНКМОРТХасеорху")
WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:-[0-9A-Za-zА-Яа-яЁё]+)*")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_VOWELS = re.compile(r"[аеёиоуыэюяaeiouy]", re.IGNORECASE)
# Parts of speech that carry nothing to search by: prepositions, conjunctions, particles,
# interjections, pronouns.
_STOP_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})


def fold_yo(text: str) -> str:
    """«ё» read as «е», as Russian readers do: «учёт» and «учет» are one word."""
    return text.translate(_YO)


def words(text: str) -> list[str]:
    """The words of a text as written, hyphenated words kept whole, Latin look-alikes inside
    Cyrillic words turned Cyrillic; quotes, dots and other punctuation dropped."""
    out = []
    for word in WORD.findall(text):
        if _CYRILLIC.search(word):
            word = word.translate(_LATIN_LOOKALIKES)
        out.append(word)
    return out


def is_abbreviation(word: str) -> bool:
    """ЦБС, МИБС, ГНБК, МБУК: written in capitals, or with no vowel at all."""
    core = word.replace("-", "")
    if len(core) < 2 or core.isdigit():
        return False
    return core.isupper() or not _VOWELS.search(core)


@lru_cache(maxsize=100_000)
def word_lemmas(word: str) -> tuple[str, ...]:
    """Every lemma pymorphy3 offers for a word, best first, lower case, «ё» as «е»
    (all of them: the best reading of «залы» is «зала», not «зал»)."""
    low = word.lower()
    if low.isdigit() or is_abbreviation(word):
        return (fold_yo(low),)
    out: list[str] = []
    for parse in _parses(low):
        lemma = fold_yo(parse.normal_form)
        if lemma not in out:
            out.append(lemma)
    return tuple(out)


@lru_cache(maxsize=100_000)
def lemma(word: str) -> str:
    """The lemma of the best reading, lower case, «ё» as «е»; abbreviations stay as they are."""
    if is_abbreviation(word) or word.isdigit():
        return fold_yo(word.lower())
    return fold_yo(_parses(word.lower())[0].normal_form)


def is_stop_word(word: str) -> bool:
    """A preposition, conjunction, particle, interjection or pronoun: nothing to search by."""
    if is_abbreviation(word) or word.isdigit():
        return False
    return _parses(word.lower())[0].tag.POS in _STOP_POS


def _content_words(text: str) -> Iterator[tuple[str, ...]]:
    for word in words(text):
        if not is_stop_word(word):
            yield word_lemmas(word)


def lemmas(text: str) -> list[str]:
    """What the search index stores for a text: every lemma of every content word, once,
    in the order they first occur («под открытым небом» → [открытый, открыть, небо])."""
    seen: dict[str, None] = {}
    for group in _content_words(text):
        for item in group:
            seen.setdefault(item, None)
    return list(seen)


def search_document(text: str) -> str:
    """``lemmas(text)`` as one space-separated string, for a stored search column."""
    return " ".join(lemmas(text))


def search_terms(query: str) -> list[tuple[str, ...]]:
    """A query as groups of alternative lemmas, one group per content word: a text matches
    when it holds at least one lemma of every group. «открытое небо», «открытым небом» and
    «под открытым небом» give the same groups; so do «Федорова» and «Фёдорова»."""
    groups: list[tuple[str, ...]] = []
    for group in _content_words(query):
        if group not in groups:
            groups.append(group)
    return groups


# ---------------------------------------------------------------------------- inflection


def _best(word: str, need: set[str], prefer: str | None = None):
    """The highest-scored reading whose tag holds every grammeme of ``need``; among equals a
    declinable one (pymorphy3 also knows the indeclinable «Анне» beside Анна's dative)."""
    parses = [p for p in _parses(word.lower()) if need <= p.tag.grammemes]
    if prefer:
        parses = [p for p in parses if prefer in p.tag.grammemes] or parses
    if not parses:
        return None
    return max(parses, key=lambda p: (p.score, "Fixd" not in p.tag.grammemes))


def _common_prefix(a: str, b: str) -> int:
    a, b = fold_yo(a), fold_yo(b)
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _nominative_in_lexeme(parse, written: str, grammemes: set[str]) -> str:
    """The form of the parse's lexeme in the nominative with ``grammemes``, the one closest to
    the written spelling (the lexeme holds «евгеньевна» and «евгениевна»)."""
    want = {"nomn", *grammemes}
    forms = [f for f in parse.lexeme if want <= f.tag.grammemes]
    if not forms:
        inflected = parse.inflect({"nomn"})
        return inflected.word if inflected else parse.normal_form
    return max(forms, key=lambda f: (_common_prefix(f.word, written.lower()), -len(f.word))).word


def _restore_yo(written: str, result: str, dictionary_spelling: str | None) -> str:
    """The writer's «е» where the dictionary read it as «ё» («Федорову» → Федорова, not
    Фёдорова); a «ё» of the result alone stays («Петра» → Пётр)."""
    if not dictionary_spelling or "ё" not in dictionary_spelling:
        return result
    chars = list(result)
    for i, ch in enumerate(dictionary_spelling):
        if (
            ch == "ё"
            and i < min(len(written), len(chars))
            and written[i] in "еЕ"
            and chars[i] == "ё"
        ):
            chars[i] = "е"
    return "".join(chars)


def _as_written(written: str, result: str, dictionary_spelling: str | None = None) -> str:
    """A name part: the writer's «е»/«ё», each part of a hyphenated name with a capital."""
    text = _restore_yo(written, result, dictionary_spelling)
    return "-".join(part[:1].upper() + part[1:] for part in text.split("-"))


def _same_style(written: str, result: str, dictionary_spelling: str | None = None) -> str:
    """An ordinary word: the writer's «е»/«ё» and capitals (all, first letter, or none)."""
    text = _restore_yo(written, result, dictionary_spelling)
    if written.isupper() and len(written) > 1:
        return text.upper()
    if written[:1].isupper():
        return text[:1].upper() + text[1:]
    return text


_EDGE_PUNCTUATION = "«»\"'()[],.:;!?"
_PHRASE_POS = ("NOUN", "ADJF", "PRTF")


def _agrees(reading, noun) -> bool:
    tag, other = reading.tag, noun.tag
    if tag.case != other.case or tag.number != other.number:
        return False
    return tag.number == "plur" or not tag.gender or tag.gender == other.gender


@lru_cache(maxsize=20_000)
def phrase_nominative(phrase: str) -> str:
    """A noun phrase turned to the nominative at its head, the rest as written, with a
    capital: «проведения внутренних конкурсов» → «Проведение внутренних конкурсов»,
    «Польсаевскую ЦБС» → «Польсаевская ЦБС», «ежегодного заседания Клуба» → «Ежегодное
    заседание Клуба». The leading adjectives and the first noun change; their dependents
    (genitives, prepositional phrases) do not."""
    tokens = list(re.finditer(r"\S+", phrase))
    replaced: dict[int, str] = {}
    agreement = None
    for i, match in enumerate(tokens):
        core = match.group(0).strip(_EDGE_PUNCTUATION)
        if not core or not _CYRILLIC.search(core) or is_abbreviation(core):
            break
        readings = [p for p in _parses(core.lower()) if p.tag.POS in _PHRASE_POS and p.tag.case]
        if agreement is not None:
            readings = [p for p in readings if _agrees(p, agreement)]
        if not readings:
            break
        # An adjective that agrees with the noun after it («Детской библиотеке»: not the
        # noun «детская»); otherwise a noun heads the phrase.
        adjectives = [p for p in readings if p.tag.POS != "NOUN"]
        fitting = []
        if adjectives and i + 1 < len(tokens):
            follower = tokens[i + 1].group(0).strip(_EDGE_PUNCTUATION).lower()
            heads = [q for q in _parses(follower) if q.tag.POS == "NOUN"]
            fitting = [p for p in adjectives if any(_agrees(p, q) for q in heads)]
        nouns = [p for p in readings if p.tag.POS == "NOUN"]
        if fitting:
            reading = max(fitting, key=lambda p: p.score)
        else:
            reading = max(nouns or readings, key=lambda p: p.score)
        agreement = reading
        wanted = {"nomn", reading.tag.number} if reading.tag.number else {"nomn"}
        if reading.tag.POS != "NOUN" and reading.tag.number == "sing" and reading.tag.gender:
            wanted.add(reading.tag.gender)
        inflected = reading.inflect(wanted)
        if inflected is None:
            break
        replaced[i] = match.group(0).replace(
            core, _same_style(core, inflected.word, reading.word), 1
        )
        if reading.tag.POS == "NOUN":
            break
    pieces = []
    last = 0
    for i, match in enumerate(tokens):
        pieces.append(phrase[last : match.start()])
        pieces.append(replaced.get(i, match.group(0)))
        last = match.end()
    pieces.append(phrase[last:])
    result = "".join(pieces)
    return result[:1].upper() + result[1:]


# ---------------------------------------------------------------------------- people


@dataclass(frozen=True)
class PersonName:
    """A person's name in the nominative, as the member records hold it."""

    surname: str
    first_name: str = ""
    patronymic: str = ""
    gender: str = ""  # FEMALE, MALE, or "" when the words do not tell
    initials: str = ""  # «В. Д.» when only initials were written

    @property
    def full_name(self) -> str:
        if self.initials and not self.first_name:
            return f"{self.surname} {self.initials}"
        return " ".join(p for p in (self.surname, self.first_name, self.patronymic) if p)

    def __str__(self) -> str:
        return self.full_name


@dataclass(frozen=True)
class FoundPerson:
    """A name found in a text: where it stands, as written, and in the nominative."""

    start: int
    end: int
    written: str
    name: PersonName


# Surnames that never decline, for men and women: -ых/-их, -ко, -аго/-яго, -ово/-ево.
_INDECLINABLE_SURNAME = re.compile(r"(ых|их|ко|аго|яго|ово|ево)$")
# A woman's surname ending in a consonant does not decline (Кентнер, Ковальчук, Лебедь);
# not «й»: «Толстой» is a woman's dative.
_CONSONANT_END = re.compile(r"[бвгджзклмнпрстфхцчшщь]$")
_PART_TAG = {"lastname": "Surn", "firstname": "Name", "middlename": "Patr"}
_PETROVICH_CASE_INDEX = {GENITIVE: 0, DATIVE: 1, ACCUSATIVE: 2, INSTRUMENTAL: 3, PREPOSITIONAL: 4}


def _has_reading(word: str, tag: str, case: str, gender: str | None = None) -> bool:
    need = {tag, case}
    if gender:
        need.add(_GRAMMEME_OF_GENDER[gender])
    return _best(word, need) is not None


def _choose_gender(first: str | None, patronymic: str | None, surname: str, case: str) -> str:
    """The gender the words agree on: the patronymic decides, then the first name, then the
    surname's ending."""
    best, best_score = "", 0.0
    for gender in (FEMALE, MALE):
        grammeme = _GRAMMEME_OF_GENDER[gender]
        score = 0.0
        if first:
            reading = _best(first, {"Name", case, grammeme})
            score += reading.score + 1.0 if reading else 0.0
        if patronymic:
            reading = _best(patronymic, {"Patr", case, grammeme})
            score += reading.score + 2.0 if reading else 0.0
        if not first and not patronymic:
            reading = _best(surname, {"Surn", case, grammeme})
            score += reading.score + 1.0 if reading else 0.0
        if score > best_score:
            best, best_score = gender, score
    if not best and not first and not patronymic and case != NOMINATIVE:
        low = surname.lower()
        # an oblique case with no ending: a woman's consonant-final surname
        if _CONSONANT_END.search(low) and not _INDECLINABLE_SURNAME.search(low):
            best = FEMALE
    return best


def _petrovich_forward(part: str, gender: str, case: str, nominative: str) -> str:
    from pytrovich.enums import Case, Gender, NamePart

    cases = {
        GENITIVE: Case.GENITIVE,
        DATIVE: Case.DATIVE,
        ACCUSATIVE: Case.ACCUSATIVE,
        INSTRUMENTAL: Case.INSTRUMENTAL,
        PREPOSITIONAL: Case.PREPOSITIONAL,
        NOMINATIVE: Case.NOMINATIVE,
    }
    return (
        _petrovich_maker()
        .make(
            NamePart[part.upper()],
            Gender.FEMALE if gender == FEMALE else Gender.MALE,
            cases[case],
            nominative,
        )
        .lower()
    )


@lru_cache(maxsize=1)
def _petrovich_rules() -> dict:
    from pytrovich.maker import PetrovichDeclinationMaker

    with open(PetrovichDeclinationMaker.DEFAULT_PATH_TO_RULES_FILE, encoding="utf-8") as f:
        return json.load(f)


def _petrovich_inverse(part: str, written: str, gender: str, case: str) -> list[str]:
    """Nominatives that one of petrovich's rules would inflect into the written word."""
    low = written.lower()
    wanted_gender = {FEMALE: "female", MALE: "male"}[gender]
    index = _PETROVICH_CASE_INDEX[case]
    out: list[str] = []
    for kind in ("exceptions", "suffixes"):
        for rule in _petrovich_rules()[part].get(kind, []):
            if rule["gender"] not in (wanted_gender, "androgynous"):
                continue
            mod = rule["mods"][index]
            for test in rule["test"]:
                if mod == ".":
                    nominative = low
                else:
                    cut = len(mod) - len(mod.lstrip("-"))
                    ending = mod[cut:]
                    if not low.endswith(ending) or cut > len(test):
                        continue
                    nominative = low[: len(low) - len(ending)] + (
                        test[len(test) - cut :] if cut else ""
                    )
                fits = nominative == test if kind == "exceptions" else nominative.endswith(test)
                if fits and nominative not in out:
                    out.append(nominative)
    return out


def _checked(part: str, written: str, proposed: str, gender: str, case: str) -> str:
    """pymorphy3's nominative, unless petrovich cannot inflect it back into the written word
    and can another one (pymorphy3's predictor guesses «Штолец» for «Штольца»). A dictionary
    name is never replaced by a rule-made string (petrovich is wrong on «Альфия»)."""
    low = written.lower()
    try:
        if _petrovich_forward(part, gender, case, proposed.lower()) == low:
            return proposed
        others = [
            c
            for c in _petrovich_inverse(part, written, gender, case)
            if c not in (proposed.lower(), low) and _petrovich_forward(part, gender, case, c) == low
        ]
    except (KeyError, ValueError, IndexError):
        return proposed
    if not others:
        return proposed
    tag = _PART_TAG[part]

    def known(candidate: str) -> bool:
        return analyzer().word_is_known(candidate) and any(
            tag in p.tag.grammemes and "nomn" in p.tag.grammemes for p in _parses(candidate)
        )

    in_dictionary = [c for c in others if known(c)]
    if known(proposed.lower()) and not in_dictionary:
        return proposed
    return _as_written(written, (in_dictionary or others)[0])


def _given_name_nominative(part: str, word: str, case: str, gender: str) -> str:
    tag = _PART_TAG[part]
    grammemes = {"sing"}
    if gender:
        grammemes.add(_GRAMMEME_OF_GENDER[gender])
    reading = _best(word, {tag, case, *grammemes}) or _best(word, {case, *grammemes})
    if reading is None:
        return word
    proposed = _as_written(word, _nominative_in_lexeme(reading, word, grammemes), reading.word)
    return _checked(part, word, proposed, gender, case) if gender else proposed


def _surname_piece_nominative(piece: str, case: str, gender: str) -> str:
    low = piece.lower()
    if case == NOMINATIVE or _INDECLINABLE_SURNAME.search(low):
        return piece
    if gender == FEMALE and _CONSONANT_END.search(low):
        return piece
    grammeme = _GRAMMEME_OF_GENDER.get(gender)
    need = {case, grammeme} if grammeme else {case}
    reading = (
        _best(piece, {"Surn", *need})
        or _best(piece, {*need, "sing"}, prefer="Surn")
        or _best(piece, {case}, prefer="Surn")
    )
    if reading is None:
        return piece
    grammemes = {"sing", grammeme} if grammeme else {"sing"}
    proposed = _as_written(piece, _nominative_in_lexeme(reading, piece, grammemes), reading.word)
    return _checked("lastname", piece, proposed, gender, case) if gender else proposed


@lru_cache(maxsize=20_000)
def person_nominative(
    surname: str,
    first_name: str = "",
    patronymic: str = "",
    *,
    case: str,
    initials: str = "",
) -> PersonName:
    """A name written in ``case`` turned to the nominative, with its gender:
    («Девятых», «Ирину», «Анатольевну», case=ACCUSATIVE) → Девятых Ирина Анатольевна (f)."""
    gender = _choose_gender(first_name or None, patronymic or None, surname, case)
    return PersonName(
        surname="-".join(_surname_piece_nominative(p, case, gender) for p in surname.split("-")),
        first_name=_given_name_nominative("firstname", first_name, case, gender)
        if first_name
        else "",
        patronymic=_given_name_nominative("middlename", patronymic, case, gender)
        if patronymic
        else "",
        gender=gender,
        initials=initials,
    )


_NAME_TOKEN = re.compile(
    r"(?P<initials>[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?)|(?P<word>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)"
)
# «им. В.Д.Федорова»: a name in an organisation's title, not a person of the minutes.
_NAMED_AFTER = re.compile(r"(?:\bим\.|\bимени)\s*$", re.IGNORECASE)


def _is_name(word: str, case: str) -> bool:
    return _has_reading(word, "Name", case)


def _is_patronymic(word: str, case: str) -> bool:
    return _has_reading(word, "Patr", case)


def _could_be_surname(word: str, case: str) -> bool:
    """A capitalised word that is not a first name or a patronymic and is either unknown,
    an indeclinable surname, or has a surname reading in the case."""
    if _is_name(word, case) or _is_patronymic(word, case):
        return False
    low = word.lower()
    if _INDECLINABLE_SURNAME.search(low) or _has_reading(word, "Surn", case):
        return True
    # an ordinary word of the dictionary («Благодарность») is not a surname
    return not analyzer().word_is_known(low)


def find_people(text: str, case: str) -> list[FoundPerson]:
    """Every person named in ``text`` in the given case, in order: «Фамилия Имя Отчество»,
    «Имя Отчество Фамилия», «Фамилия И. О.» and «И. О. Фамилия». Names in organisations'
    titles («им. В.Д.Федорова») are not people of the minutes and are skipped."""
    tokens = []
    for m in _NAME_TOKEN.finditer(text):
        kind = "initials" if m.group("initials") else "word"
        tokens.append((kind, m.group(0), m.start(), m.end()))
    found: list[FoundPerson] = []
    i = 0

    def adjacent(a: int, b: int) -> bool:
        return not text[tokens[a][3] : tokens[b][2]].strip()

    while i < len(tokens):
        kind, word, start, _end = tokens[i]
        nxt = i + 1 < len(tokens) and adjacent(i, i + 1)
        nxt2 = nxt and i + 2 < len(tokens) and adjacent(i + 1, i + 2)
        person = None
        used = 0
        if kind == "word" and nxt2 and tokens[i + 1][0] == tokens[i + 2][0] == "word":
            w1, w2 = tokens[i + 1][1], tokens[i + 2][1]
            if _is_name(w1, case) and _is_patronymic(w2, case):
                person, used = person_nominative(word, w1, w2, case=case), 3
            elif _is_name(word, case) and _is_patronymic(w1, case) and _could_be_surname(w2, case):
                person, used = person_nominative(w2, word, w1, case=case), 3
        if (
            person is None
            and kind == "word"
            and nxt
            and tokens[i + 1][0] == "initials"
            and not _NAMED_AFTER.search(text[:start])
            and _could_be_surname(word, case)
        ):
            initials = _spaced_initials(tokens[i + 1][1])
            person, used = person_nominative(word, case=case, initials=initials), 2
        if person is None and kind == "initials" and nxt and tokens[i + 1][0] == "word":
            surname = tokens[i + 1][1]
            if not _NAMED_AFTER.search(text[:start]) and _could_be_surname(surname, case):
                initials = _spaced_initials(word)
                person, used = person_nominative(surname, case=case, initials=initials), 2
        if person is None and kind == "word" and nxt and tokens[i + 1][0] == "word":
            w1 = tokens[i + 1][1]
            after = tokens[i + 2][1] if i + 2 < len(tokens) and adjacent(i + 1, i + 2) else ""
            if (
                _is_name(w1, case)
                and not (after and _is_patronymic(after, case))
                and _could_be_surname(word, case)
                and not _is_sentence_start(text, start)
            ):
                person, used = person_nominative(word, w1, case=case), 2
        if person is not None:
            end = tokens[i + used - 1][3]
            found.append(FoundPerson(start, end, text[start:end], person))
            i += used
        else:
            i += 1
    return found


def _is_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:;\n"


def _spaced_initials(initials: str) -> str:
    letters = re.findall(r"[А-ЯЁ]", initials)
    return " ".join(f"{letter}." for letter in letters)


def person_parts(written: str) -> tuple[str, str, str]:
    """Split «Фамилия Имя Отчество» written in the nominative (a member record typed by hand)."""
    parts = written.split()
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], " ".join(parts[2:])


# ---------------------------------------------------------------------------- organisations

# Legal forms of state and municipal institutions: they do not tell one library from another.
LEGAL_FORMS = frozenset(
    {
        "мбу",
        "мбук",
        "мау",
        "маук",
        "мку",
        "мкук",
        "мук",
        "гбу",
        "гбук",
        "гау",
        "гаук",
        "гку",
        "гкук",
        "гук",
        "фгбу",
        "ано",
        "мбоу",
        "мбудо",
        "оао",
        "ооо",
        "нко",
    }
)
# The same spelled out at the start of a name: «Муниципальное бюджетное учреждение культуры».
_LEGAL_WORDS = frozenset(
    {"муниципальный", "государственный", "бюджетный", "автономный", "казенный", "учреждение"}
)
# Words that carry no identity in an organisation's name.
_ORG_STOP = frozenset({"г", "город", "им", "имени", "пгт", "с", "п", "пос", "рп", "д", "ул"})
# Abbreviations spelled out, so that «ЦБС» finds «Централизованная библиотечная система».
ABBREVIATIONS = {
    "цбс": "централизованный библиотечный система",
    "мибс": "муниципальный информационно-библиотечный система",
    "мцбс": "муниципальный централизованный библиотечный система",
    "гнбк": "государственный научный библиотека кузбасс",
    "нмо": "научно-методический отдел",
    "го": "городской округ",
    "мо": "муниципальный округ",
    "мр": "муниципальный район",
    "цгб": "центральный городской библиотека",
    "црб": "центральный районный библиотека",
    "цдб": "центральный детский библиотека",
}


@dataclass(frozen=True)
class OrgWord:
    written: str
    key: str  # the lemma, or the abbreviation in lower case


def _org_word_key(word: str) -> str:
    if is_abbreviation(word):
        return fold_yo(word.lower())
    return lemma(word)


def org_words(text: str) -> list[OrgWord]:
    """An organisation's name word by word, without quotes, legal forms, «г.», «им.» and
    initials; each word with its key (lemma, or abbreviation in lower case)."""
    out: list[OrgWord] = []
    for word in words(text):
        low = fold_yo(word.lower())
        if low in _ORG_STOP or (len(low) == 1 and low.isalpha()) or low in LEGAL_FORMS:
            continue
        out.append(OrgWord(word, _org_word_key(word)))
    # «Муниципальное бюджетное учреждение культуры «ЦБС» …»: a legal form spelled out
    keys = [w.key for w in out]
    if "учреждение" in keys[:4]:
        at = keys.index("учреждение")
        if all(k in _LEGAL_WORDS for k in keys[:at]):
            out = out[at + 1 :]
            if out and out[0].key == "культура":
                out = out[1:]
    return out


@lru_cache(maxsize=20_000)
def org_key(text: str) -> str:
    """The key an organisation's name is matched by, the same in whatever case it stands:
    «Польсаевскую ЦБС» → «польсаевский цбс», «МИБС г.Новокузнецка» → «мибс новокузнецк»."""
    return " ".join(w.key for w in org_words(text))


def expanded_keys(keys) -> frozenset[str]:
    """The word keys with abbreviations spelled out («цбс» → централизованный, библиотечный,
    система), for matching a name written short against one written in full."""
    out: set[str] = set()
    for key in keys:
        out.update(ABBREVIATIONS.get(key, key).split())
    return frozenset(out)


_SYSTEM_NOUNS = frozenset({"система", "цбс", "мибс", "библиотека", "учреждение"})
_REGION_WORDS = frozenset({"область", "кузбасс", "регион"})
_ALL_WORDS = frozenset({"весь", "все", "каждый"})


def means_all_library_systems(text: str) -> bool:
    """True for a mention of every library system of the region: «библиотечным системам
    области», «всем ЦБС и МИБС Кузбасса», «муниципальным библиотекам области». Its head noun
    is a library system in the plural (not «Музей библиотек области», not «Государственной
    научной библиотеки Кузбасса»)."""
    found = words(text)
    keys = [_org_word_key(w) for w in found]
    has_region = any(k in _REGION_WORDS for k in keys)
    said_all = bool(keys) and keys[0] in _ALL_WORDS
    if said_all:
        found, keys = found[1:], keys[1:]
    if not (has_region or said_all):
        return False
    adjectives = []
    for word, key in zip(found, keys, strict=True):
        if is_abbreviation(word):
            return key in ("цбс", "мибс") and not adjectives
        readings = [p for p in _parses(word.lower()) if p.tag.POS in _PHRASE_POS]
        if not readings:
            return False
        nouns = [p for p in readings if p.tag.POS == "NOUN"]
        if nouns:
            plural = any(p.tag.number == "plur" for p in nouns) and all(
                any(p.tag.number == "plur" for p in a) for a in adjectives
            )
            return key in _SYSTEM_NOUNS and (plural or said_all)
        adjectives.append(readings)
    return False
