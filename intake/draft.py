"""What the intake makes of a set of minutes: plain, frozen data, before anything is saved.

Texts the minutes contain (the heading, the preamble, the introductory phrases, every item)
are kept exactly as written; the structured fields beside them (kinds, dates, names in the
nominative, organisation keys) are derived and may be corrected on the review screen. The
values of ``kind`` and ``format`` are those of meetings.Meeting and resolutions.Resolution.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from .dates import Deadline
from .russian import PersonName

# Sections of the minutes (resolutions.Resolution.Section: RESOLVED = 1, DECISIONS = 2).
RESOLVED = "resolved"
DECISIONS = "decisions"

# Kinds of items (resolutions.Resolution.Kind).
GRATITUDE = "gratitude"
NOTE = "note"
ADMISSION = "admission"
DECISION = "decision"
OTHER = "other"

# Kinds and formats of meetings (meetings.Meeting.Kind / Format); "" when the text says none.
ANNUAL, REGULAR, EXTRAORDINARY, VISITING = "annual", "regular", "extraordinary", "visiting"
ONLINE, OFFLINE, HYBRID = "online", "offline", "hybrid"

# An organisation mention that stands for every library system of the region.
ALL_LIBRARY_SYSTEMS = "library_systems"


@dataclass(frozen=True)
class Flag:
    """Something the intake did not understand, or a choice the secretary should check."""

    code: str
    message: str  # in the language active when the minutes were read (Russian)
    text: str = ""  # the passage concerned, as written


@dataclass(frozen=True)
class OrgMention:
    """An organisation as the minutes name it, in whatever case it stands."""

    written: str
    key: str  # russian.org_key(written): lemmas, no quotes or legal forms
    group: str = ""  # ALL_LIBRARY_SYSTEMS when it means every library system of the region
    nominative: str = ""  # the name turned to the nominative, for creating it if it is new


@dataclass(frozen=True)
class Person:
    """A person the minutes name: a new member, the recipient of a gratitude, someone
    made responsible. ``name`` is in the nominative; ``written`` is as in the text."""

    written: str
    name: PersonName
    organisation: OrgMention | None = None
    position: str = ""  # «директор», in the nominative, as far as it is given


@dataclass(frozen=True)
class Recipient:
    """Whom a gratitude thanks: a person (her position and organisation are the person's),
    or an organisation or group alone («коллективу МИБС г. Кемерово»: ``position`` is
    «коллектив»)."""

    written: str
    person: Person | None = None
    organisation: OrgMention | None = None
    position: str = ""


@dataclass(frozen=True)
class Item:
    """One numbered item of the minutes."""

    section: str  # RESOLVED or DECISIONS
    number: int  # its number in its section, counted in order
    label: str  # the number as written or as Word drew it: «1.», «2)»
    text: str  # exactly as written, line breaks included
    kind: str
    admitted: tuple[Person, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    due: Deadline | None = None
    responsible: tuple[OrgMention, ...] = ()
    responsible_people: tuple[Person, ...] = ()
    agenda_number: int | None = None  # the agenda question it follows, when its words say
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class Section:
    kind: str  # RESOLVED or DECISIONS
    intro: str  # the introductory phrase exactly as written («… постановили:»)
    items: tuple[Item, ...]


@dataclass(frozen=True)
class AgendaQuestion:
    number: int
    title: str
    source: str  # "list": an explicit «Повестка»; "intro": read from «рассмотрев …»


@dataclass(frozen=True)
class Heading:
    title: str = ""
    kind: str = ""  # ANNUAL, REGULAR, EXTRAORDINARY, VISITING or ""
    topic: str = ""
    date: datetime.date | None = None
    date_written: str = ""
    number: str = ""  # «Протокол № 5» → «5»
    venue: OrgMention | None = None
    address: str = ""
    format: str = ""  # ONLINE, OFFLINE, HYBRID or ""
    lines: tuple[str, ...] = ()  # the heading's paragraphs as written


@dataclass(frozen=True)
class MinutesDraft:
    heading: Heading
    agenda: tuple[AgendaQuestion, ...]
    preamble: str
    sections: tuple[Section, ...]
    closing: tuple[str, ...] = ()  # signatures: «Председатель Клуба … И. О. Фамилия»
    unplaced: tuple[str, ...] = ()  # paragraphs kept but placed nowhere (each has a flag)
    flags: tuple[Flag, ...] = field(default=())

    def items(self) -> Iterator[Item]:
        for section in self.sections:
            yield from section.items

    def all_flags(self) -> list[Flag]:
        """The draft's flags, then every item's, in the order of the minutes."""
        return [*self.flags, *(f for item in self.items() for f in item.flags)]

    def people(self) -> Iterator[Person]:
        """Everyone the items name: the admitted, the thanked, the responsible."""
        for item in self.items():
            yield from item.admitted
            for recipient in item.recipients:
                if recipient.person:
                    yield recipient.person
            yield from item.responsible_people

    def organisations(self) -> Iterator[OrgMention]:
        """Every organisation mention, the venue first, in the order of the minutes."""
        if self.heading.venue:
            yield self.heading.venue
        for item in self.items():
            for person in item.admitted:
                if person.organisation:
                    yield person.organisation
            for recipient in item.recipients:
                where = recipient.person.organisation if recipient.person else None
                if where or recipient.organisation:
                    yield where or recipient.organisation
            yield from item.responsible
            for person in item.responsible_people:
                if person.organisation:
                    yield person.organisation
