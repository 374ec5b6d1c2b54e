"""Matching the people and organisations a draft names against the portal's catalogues.

The catalogues come in as plain data (the caller reads them from the database), so this
runs, and is tested, without one. For each mention the answer is what the review screen
shows: found (which record), ambiguous (which candidates), a group, or new.

Organisations are matched in steps, the first that answers wins:
1. «библиотечным системам области» and the like: the group of every library system;
2. the same key as a short or full name or an alias («Польсаевскую ЦБС» = «Польсаевская ЦБС»);
3. every word of the mention in one name, abbreviations spelled out («ГНБК» in
   «Государственная научная библиотека Кузбасса им. В.Д. Федорова»);
4. the same, a word allowed one letter's difference («Польсаевская» for «Полысаевская»);
5. a department of a known organisation («Научно-методическому отделу ГНБК» → ГНБК).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from . import russian
from .draft import ALL_LIBRARY_SYSTEMS, MinutesDraft, OrgMention, Person
from .items import mention as make_mention

MATCHED = "matched"
AMBIGUOUS = "ambiguous"
GROUP = "group"
NEW = "new"

# members.Organization.Kind values of the bodies a «library systems» group holds.
LIBRARY_SYSTEM_KINDS = frozenset({"cbs", "mibs"})
# Nouns (lemmas) of a department inside an organisation.
_UNITS = frozenset(
    {
        "отдел",
        "сектор",
        "служба",
        "центр",
        "кабинет",
        "лаборатория",
        "филиал",
        "библиотека-филиал",
        "управление",
    }
)


@dataclass(frozen=True)
class OrgRecord:
    """An organisation of the catalogue (members.Organization, with its aliases)."""

    id: Hashable
    short_name: str
    full_name: str = ""
    aliases: tuple[str, ...] = ()
    kind: str = ""  # members.Organization.Kind: "cbs", "mibs", "regional", "other"

    @property
    def names(self) -> list[str]:
        return [n for n in (self.short_name, self.full_name, *self.aliases) if n and n.strip()]


@dataclass(frozen=True)
class MemberRecord:
    """A member of the catalogue (members.Member)."""

    id: Hashable
    surname: str
    first_name: str
    patronymic: str = ""
    organisation_id: Hashable | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.first_name, self.patronymic) if p)


@dataclass(frozen=True)
class OrgMatch:
    mention: OrgMention
    status: str  # MATCHED, AMBIGUOUS, GROUP or NEW
    id: Hashable | None = None
    name: str = ""  # the matched record's short name
    candidates: tuple[Hashable, ...] = ()  # AMBIGUOUS: best first; GROUP: all of it
    how: str = ""  # "group", "name", "words", "similar", "unit"
    unit: str = ""  # the department named, in the nominative («Научно-методический отдел»)


@dataclass(frozen=True)
class MemberMatch:
    person: Person
    status: str  # MATCHED, AMBIGUOUS or NEW
    id: Hashable | None = None
    name: str = ""  # the matched member's full name
    candidates: tuple[Hashable, ...] = ()
    organisation: OrgMatch | None = None


def _org_record(row) -> OrgRecord:
    if isinstance(row, OrgRecord):
        return row
    row = tuple(row)
    aliases = row[3] if len(row) > 3 and row[3] else ()
    if isinstance(aliases, str):
        aliases = tuple(a.strip() for a in aliases.splitlines() if a.strip())
    return OrgRecord(
        id=row[0],
        short_name=row[1],
        full_name=row[2] if len(row) > 2 and row[2] else "",
        aliases=tuple(aliases),
        kind=row[4] if len(row) > 4 and row[4] else "",
    )


def _member_record(row) -> MemberRecord:
    if isinstance(row, MemberRecord):
        return row
    row = tuple(row) + (None,) * 5
    return MemberRecord(row[0], row[1] or "", row[2] or "", row[3] or "", row[4])


def _similar(a: str, b: str) -> bool:
    """One letter's difference (a substitution, a letter more or less, or two swapped) in
    words of seven letters or more that begin alike; abbreviations must be equal."""
    if a == b:
        return True
    if min(len(a), len(b)) < 7 or a[:2] != b[:2] or abs(len(a) - len(b)) > 1:
        return False
    # Damerau-Levenshtein distance, stopped as soon as it exceeds 1
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > 1:
            return False
        previous2, previous = previous, current
    return previous[-1] <= 1


class OrgCatalogue:
    """The organisations to match against: ``OrgRecord``s, or tuples (id, short name,
    full name, aliases[, kind]) with aliases a sequence or one per line."""

    def __init__(self, records: Iterable):
        self.records = [_org_record(r) for r in records]
        self.by_id = {r.id: r for r in self.records}
        self.by_key: dict[str, list[Hashable]] = {}
        self.entries: list[tuple[Hashable, frozenset[str]]] = []
        for record in self.records:
            for name in record.names:
                keys = [w.key for w in russian.org_words(name)]
                if not keys:
                    continue
                ids = self.by_key.setdefault(" ".join(keys), [])
                if record.id not in ids:
                    ids.append(record.id)
                self.entries.append((record.id, russian.expanded_keys(keys)))

    def library_systems(self) -> tuple[Hashable, ...]:
        if any(r.kind for r in self.records):
            return tuple(r.id for r in self.records if r.kind in LIBRARY_SYSTEM_KINDS)
        return tuple(
            r.id
            for r in self.records
            if any(
                {"библиотечный", "система"} <= words for rid, words in self.entries if rid == r.id
            )
        )

    def match(self, mention: OrgMention | str) -> OrgMatch:
        if isinstance(mention, str):
            mention = make_mention(mention)
        if mention.group == ALL_LIBRARY_SYSTEMS:
            return OrgMatch(mention, GROUP, candidates=self.library_systems(), how="group")
        words = russian.org_words(mention.written)
        found = self._match_words([w.key for w in words], mention)
        if found is not None:
            return found
        for cut in range(1, len(words)):
            dropped = words[:cut]
            if not any(w.key in _UNITS for w in dropped):
                continue
            found = self._match_words([w.key for w in words[cut:]], mention)
            if found is not None and found.status in (MATCHED, AMBIGUOUS):
                unit = russian.phrase_nominative(" ".join(w.written for w in dropped))
                return OrgMatch(
                    mention,
                    found.status,
                    id=found.id,
                    name=found.name,
                    candidates=found.candidates,
                    how="unit",
                    unit=unit,
                )
        return OrgMatch(mention, NEW)

    def _match_words(self, keys: list[str], mention: OrgMention) -> OrgMatch | None:
        if not keys:
            return None
        ids = self.by_key.get(" ".join(keys), [])
        if len(ids) == 1:
            return self._found(mention, ids[0], "name")
        if ids:
            return OrgMatch(mention, AMBIGUOUS, candidates=tuple(ids), how="name")
        wanted = russian.expanded_keys(keys)
        for how, fits in (
            ("words", lambda have: wanted <= have),
            ("similar", lambda have: all(any(_similar(w, h) for h in have) for w in wanted)),
        ):
            extra: dict[Hashable, int] = {}
            for record_id, have in self.entries:
                if fits(have):
                    extra[record_id] = min(extra.get(record_id, 1_000), len(have - wanted))
            if len(extra) == 1:
                return self._found(mention, next(iter(extra)), how)
            if extra:
                ranked = sorted(extra, key=lambda i: (extra[i], str(self.by_id[i].short_name)))
                return OrgMatch(mention, AMBIGUOUS, candidates=tuple(ranked), how=how)
        return None

    def _found(self, mention: OrgMention, record_id: Hashable, how: str) -> OrgMatch:
        return OrgMatch(
            mention, MATCHED, id=record_id, name=self.by_id[record_id].short_name, how=how
        )


def _fold(text: str) -> str:
    return russian.fold_yo(text or "").strip().lower()


class MemberCatalogue:
    """The members to match against: ``MemberRecord``s, or tuples (id, surname, first name,
    patronymic, organisation id)."""

    def __init__(self, records: Iterable):
        self.records = [_member_record(r) for r in records]
        self.by_surname: dict[str, list[MemberRecord]] = {}
        for record in self.records:
            self.by_surname.setdefault(_fold(record.surname), []).append(record)

    def match(self, person: Person, organisation: OrgMatch | None = None) -> MemberMatch:
        name = person.name
        same_surname = self.by_surname.get(_fold(name.surname), [])
        first, patronymic = _fold(name.first_name), _fold(name.patronymic)
        if name.initials and not first:
            letters = [x.strip(". ").lower() for x in name.initials.split()]

            def initials_fit(record: MemberRecord) -> bool:
                if _fold(record.first_name)[:1] != letters[0]:
                    return False
                theirs = _fold(record.patronymic)
                return len(letters) < 2 or not theirs or theirs[:1] == letters[1]

            fits = [r for r in same_surname if initials_fit(r)]
            exact = fits
        else:
            exact = [
                r
                for r in same_surname
                if _fold(r.first_name) == first and _fold(r.patronymic) == patronymic
            ]
            # the same first name, and a patronymic on one side only
            fits = exact or [
                r
                for r in same_surname
                if _fold(r.first_name) == first and not (_fold(r.patronymic) and patronymic)
            ]
        organisation_id = (
            organisation.id if organisation and organisation.status == MATCHED else None
        )
        if organisation_id is not None and len(fits) > 1:
            same_place = [r for r in fits if r.organisation_id == organisation_id]
            if len(same_place) == 1:
                exact, fits = same_place, same_place
        if len(exact) == 1 and len(fits) == 1:
            return MemberMatch(
                person, MATCHED, id=exact[0].id, name=exact[0].full_name, organisation=organisation
            )
        if fits:
            return MemberMatch(
                person,
                AMBIGUOUS,
                candidates=tuple(r.id for r in fits),
                organisation=organisation,
            )
        return MemberMatch(person, NEW, organisation=organisation)


@dataclass(frozen=True)
class DraftMatches:
    """Every mention of a draft with its match, looked up by the mention itself."""

    organisations: Mapping[OrgMention, OrgMatch] = field(default_factory=dict)
    members: Mapping[Person, MemberMatch] = field(default_factory=dict)
    admitted: tuple[Person, ...] = ()  # the people the admission items name, in order

    def organisation(self, mention: OrgMention) -> OrgMatch:
        return self.organisations[mention]

    def member(self, person: Person) -> MemberMatch:
        return self.members[person]

    def new_organisations(self) -> list[OrgMatch]:
        """The organisations that would be created, each once however often it is named."""
        seen, out = set(), []
        for found in self.organisations.values():
            if found.status == NEW and found.mention.key not in seen:
                seen.add(found.mention.key)
                out.append(found)
        return out

    def new_members(self) -> list[MemberMatch]:
        """The admitted people who are not members yet, each once."""
        seen, out = set(), []
        for person in self.admitted:
            found = self.members[person]
            key = _fold(person.name.full_name)
            if found.status == NEW and key not in seen:
                seen.add(key)
                out.append(found)
        return out


def match_draft(
    draft: MinutesDraft,
    organisations: OrgCatalogue | Iterable,
    members: MemberCatalogue | Iterable = (),
) -> DraftMatches:
    """Match every organisation and person the draft names (the venue, the new members and
    their organisations, the thanked, the responsible)."""
    if not isinstance(organisations, OrgCatalogue):
        organisations = OrgCatalogue(organisations)
    if not isinstance(members, MemberCatalogue):
        members = MemberCatalogue(members)
    found_orgs: dict[OrgMention, OrgMatch] = {}
    for mention in draft.organisations():
        if mention not in found_orgs:
            found_orgs[mention] = organisations.match(mention)
    found_members: dict[Person, MemberMatch] = {}
    for person in draft.people():
        if person not in found_members:
            where = found_orgs.get(person.organisation) if person.organisation else None
            found_members[person] = members.match(person, where)
    admitted = tuple(p for item in draft.items() for p in item.admitted)
    return DraftMatches(organisations=found_orgs, members=found_members, admitted=admitted)
