"""Loads the club's minutes of 23 June 2021 as demo data; running it again changes nothing."""

import datetime
import os
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from kernel.roles import SECRETARY
from meetings.models import AgendaItem, Meeting
from meetings.services import meeting_publish
from members.models import Member, Municipality, Organization
from resolutions.models import Resolution
from resolutions.services import admissions_set

from . import seed

MEETING_DATE = datetime.date(2021, 6, 23)
DEMO_SECRETARY_USERNAME = "secretary"
DEMO_SECRETARY_DEFAULT_PASSWORD = "kuzbass-demo-2021"

HOST = (
    "ГНБК им. В.Д. Федорова",
    seed.HOST_FULL_NAME,
    Organization.Kind.REGIONAL,
    "Кемеровский городской округ",
)

# short name, full name, kind, municipality
ORGANIZATIONS = [
    HOST,
    (
        "МИБС г. Новокузнецка",
        "Муниципальная информационно-библиотечная система г. Новокузнецка",
        Organization.Kind.MIBS,
        "Новокузнецкий городской округ",
    ),
    (
        "Полысаевская ЦБС",
        "Централизованная библиотечная система Полысаевского городского округа",
        Organization.Kind.CBS,
        "Полысаевский городской округ",
    ),
    (
        "ЦБС Киселевского городского округа",
        "Централизованная библиотечная система Киселевского городского округа",
        Organization.Kind.CBS,
        "Киселевский городской округ",
    ),
    (
        "МИБС г. Кемерово",
        "Муниципальная информационно-библиотечная система г. Кемерово",
        Organization.Kind.MIBS,
        "Кемеровский городской округ",
    ),
]

# The four methodists admitted by item 3 (nominative case), with their organisations.
ADMITTED = [
    ("Девятых", "Ирина", "Анатольевна", "МИБС г. Новокузнецка"),
    ("Кентнер", "Наталья", "Евгеньевна", "Полысаевская ЦБС"),
    ("Андреева", "Елена", "Александровна", "ЦБС Киселевского городского округа"),
    ("Исаенкова", "Анна", "Владимировна", "МИБС г. Кемерово"),
]

AGENDA = [
    "Опыт внестационарной работы",
    "Проведение внутренних профессиональных конкурсов",
    "Организация статистического учета в ЦБС",
]

RESOLVED_KINDS = [Resolution.Kind.GRATITUDE, Resolution.Kind.NOTE, Resolution.Kind.ADMISSION]
# Decisions 1–3 follow agenda items 3, 2 and 1 (statistics, competitions, the museum work).
DECISION_AGENDA = [3, 2, None]


@dataclass
class DemoResult:
    meeting: Meeting
    created: bool


@transaction.atomic
def demo_organizations() -> dict[str, Organization]:
    """The organisations the seed minutes name, by short name, created once."""
    organizations = {}
    for short, full, kind, municipality_name in ORGANIZATIONS:
        municipality, _ = Municipality.objects.get_or_create(name=municipality_name)
        organizations[short], _ = Organization.objects.get_or_create(
            short_name=short,
            defaults={"full_name": full, "kind": kind, "municipality": municipality},
        )
    return organizations


def demo_load() -> DemoResult:
    """Create the seed meeting with its organisations and members, once."""
    organizations = demo_organizations()
    members = []
    for last, first, patronymic, org in ADMITTED:
        member, _ = Member.objects.get_or_create(
            last_name=last,
            first_name=first,
            patronymic=patronymic,
            defaults={"organization": organizations[org]},
        )
        members.append(member)

    meeting = Meeting.objects.filter(slug=MEETING_DATE.isoformat()).first()
    created = meeting is None
    if created:
        meeting = _create_meeting(organizations[HOST[0]], members)

    return DemoResult(meeting=meeting, created=created)


def _create_meeting(host, members):
    meeting = Meeting.objects.create(
        slug=MEETING_DATE.isoformat(),
        title=seed.TITLE,
        topic=seed.TOPIC,
        date=MEETING_DATE,
        number="1",
        kind=Meeting.Kind.ANNUAL,
        format=Meeting.Format.ONLINE,
        venue=host,
        preamble=seed.PREAMBLE,
        resolved_intro=seed.RESOLVED_INTRO,
        decisions_intro=seed.DECISIONS_INTRO,
    )
    agenda = [
        AgendaItem.objects.create(meeting=meeting, order=n, title=title)
        for n, title in enumerate(AGENDA, start=1)
    ]
    for n, (text, kind) in enumerate(zip(seed.RESOLVED_ITEMS, RESOLVED_KINDS, strict=True), 1):
        resolution = Resolution.objects.create(
            meeting=meeting,
            section=Resolution.Section.RESOLVED,
            number=n,
            kind=kind,
            text=text,
            agenda_item=agenda[0] if kind == Resolution.Kind.NOTE else None,
        )
        if kind == Resolution.Kind.ADMISSION:
            admissions_set(resolution=resolution, members=members)
    for n, (text, agenda_no) in enumerate(
        zip(seed.DECISION_ITEMS, DECISION_AGENDA, strict=True), 1
    ):
        Resolution.objects.create(
            meeting=meeting,
            section=Resolution.Section.DECISIONS,
            number=n,
            kind=Resolution.Kind.DECISION,
            text=text,
            agenda_item=agenda[agenda_no - 1] if agenda_no else None,
        )
    # Published once complete, the way the secretary does it: the admitted become public.
    return meeting_publish(meeting=meeting)


@transaction.atomic
def demo_secretary() -> tuple[str, str | None]:
    """The demo secretary's login and, while unchanged, her password (debug only)."""
    if not settings.DEBUG:
        raise RuntimeError("The demo secretary is created only with debug on.")
    password = os.environ.get("DEMO_SECRETARY_PASSWORD") or DEMO_SECRETARY_DEFAULT_PASSWORD
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_SECRETARY_USERNAME,
        defaults={"is_staff": True, "first_name": "Секретарь", "last_name": "Клуба"},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=SECRETARY))
    return user.username, (password if user.check_password(password) else None)
