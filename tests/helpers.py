"""Plain make_*() helpers that build the records tests need."""

import datetime
import itertools
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from kernel import roles
from meetings.models import AgendaItem, Meeting
from meetings.services import meeting_publish
from members.models import Member, Municipality, OperatorAccount, Organization
from resolutions.models import Admission, Resolution
from stats import services
from stats.models import FormTemplate, Report, Value

SEED_PATH = Path(__file__).parent / "data" / "minutes-2021-06-23.txt"
_seq = itertools.count(1)


def make_municipality(name=None):
    return Municipality.objects.get_or_create(name=name or f"Округ {next(_seq)}")[0]


def make_organization(short_name=None, *, kind=Organization.Kind.CBS, municipality=None):
    return Organization.objects.create(
        short_name=short_name or f"ЦБС № {next(_seq)}",
        kind=kind,
        municipality=municipality or make_municipality(),
    )


def make_member(last_name=None, *, organization=None, **fields):
    return Member.objects.create(
        last_name=last_name or f"Иванова{next(_seq)}",
        first_name=fields.pop("first_name", "Мария"),
        patronymic=fields.pop("patronymic", "Петровна"),
        organization=organization or make_organization(),
        **fields,
    )


def make_meeting(date=datetime.date(2022, 5, 18), **fields):
    fields.setdefault("title", "Заседание Клуба деловых встреч методистов Кузбасса")
    fields.setdefault("topic", "Методическая работа")
    published = fields.pop("status", Meeting.Status.PUBLISHED) == Meeting.Status.PUBLISHED
    meeting = Meeting.objects.create(date=date, **fields)
    # Published the one way minutes are published: meetings.services.
    return meeting_publish(meeting=meeting) if published else meeting


def make_agenda_item(meeting, order=1, title="Вопрос повестки"):
    return AgendaItem.objects.create(meeting=meeting, order=order, title=title)


def make_resolution(meeting, number=None, **fields):
    fields.setdefault("section", Resolution.Section.RESOLVED)
    fields.setdefault("kind", Resolution.Kind.DECISION)
    fields.setdefault("text", f"Решение № {next(_seq)}")
    return Resolution.objects.create(meeting=meeting, number=number, **fields)


def admit(resolution, *members):
    return [Admission.objects.create(resolution=resolution, member=m) for m in members]


def make_user(username=None, *, group=None, staff=None, superuser=False, password="pass-12345"):
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_seq)}",
        password=password,
        is_staff=bool(group or superuser) if staff is None else staff,
        is_superuser=superuser,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def normalize(text: str) -> str:
    """Text without whitespace, soft hyphens, the hyphens a layout adds where it breaks a word
    (WeasyPrint's U+2010, print.css hyphenates) or markdown: for comparing rendered copies."""
    text = text.replace("\u00ad", "").replace("\u2010", "").replace("**", "")
    return re.sub(r"\s+", "", text)


def seed_sentences() -> list[str]:
    """Every sentence of the real minutes, line by line, without list numbers."""
    sentences = []
    for line in SEED_PATH.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^\d+\.\s*", "", line.replace("**", "").strip())
        if not line:
            continue
        for sentence in re.split(r"(?<=[.!?:])\s+(?=[А-ЯЁA-Z«(])", line):
            if len(sentence) > 3:
                sentences.append(sentence.strip())
    return sentences


def _with_search_lemmas(model):
    """The model's constructor filling the search column, as save() does (bulk_create skips it)."""

    def build(**fields):
        row = model(**fields)
        row.refresh_search_lemmas()
        return row

    return build


def make_archive(meetings: int, *, resolutions_each: int = 20, start_year: int = 2000):
    """Many published meetings with numbered items, made in bulk for the query-count tests."""
    from meetings.models import Attendance

    organization = make_organization(f"ЦБС архива {next(_seq)}")
    created = Meeting.objects.bulk_create(
        [
            _with_search_lemmas(Meeting)(
                slug=f"arch-{start_year}-{i}",
                title="Заседание Клуба",
                topic=f"Тема {i}",
                date=datetime.date(start_year + i % 25, 1 + i % 12, 1 + i % 28),
                status=Meeting.Status.PUBLISHED,
                published_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
                preamble="Вступительная часть заседания методистов.",
            )
            for i in range(meetings)
        ]
    )
    rows = []
    for meeting in created:
        for n in range(1, resolutions_each + 1):
            rows.append(
                _with_search_lemmas(Resolution)(
                    meeting=meeting,
                    section=Resolution.Section.RESOLVED if n % 2 else Resolution.Section.DECISIONS,
                    number=n,
                    kind=Resolution.Kind.DECISION if n % 2 == 0 else Resolution.Kind.NOTE,
                    text=f"Решение {n} заседания {meeting.slug}: продолжить работу.",
                    due_date=datetime.date(start_year + 30, 1, 1) if n % 4 == 0 else None,
                )
            )
    Resolution.objects.bulk_create(rows, batch_size=1000)
    through = Resolution.responsible_organizations.through
    through.objects.bulk_create(
        [
            through(resolution_id=r.pk, organization_id=organization.pk)
            for r in Resolution.objects.filter(meeting__in=created, kind=Resolution.Kind.DECISION)
        ],
        batch_size=1000,
    )
    members = [make_member(organization=organization, is_founder=True) for _ in range(3)]
    Attendance.objects.bulk_create(
        [Attendance(meeting=m, member=member) for m in created for member in members],
        batch_size=1000,
    )
    return created


def restore_migration_data():
    """Recreate what data migrations made (role groups, form v1, the content counter).

    A transactional test empties every table when it ends; the transactional tests that
    follow it call this first.
    """
    import importlib

    from django.apps import apps

    from kernel.models import PublicContentVersion
    from kernel.roles import sync_role_groups

    if not Group.objects.exists():
        sync_role_groups()
    form_v1 = importlib.import_module("stats.migrations.0003_form_v1")
    form_v1.create_form_v1(apps, None)
    PublicContentVersion.objects.get_or_create(pk=1)


# --- Statistics -----------------------------------------------------------------------------

# Plausible figures of a ЦБС for June 2024 and June 2025: no check fires between them.
LAST_JUNE = {
    "VS.POINTS": 12,
    "VS.OUT_SITES": 5,
    "VS.OUT_DAYS": 60,
    "VS.KIBO_TRIPS": 8,
    "VS.KIBO_STOPS": 24,
    "VS.USERS": 900,
    "VS.VISITS": 2400,
    "VS.VISITS.EVENTS": 1500,
    "VS.VISITS.CHILD": 800,
    "VS.VISITS.YOUTH": 400,
    "VS.LOANS": 1800,
    "VS.EVENTS": 40,
    "VS.EVENTS.OUTDOOR": 25,
    "VS.EVENTS.ACTIONS": 6,
    "VS.EVENTS.FLASHMOBS": 2,
    "VS.EVENTS.GAMES": 10,
    "VS.EVENTS.MASTERCLASSES": 8,
    "VS.EVENTS.READINGS": 5,
    "VS.EVENT_ATT": 1500,
    "VS.EVENT_ATT.OUTDOOR": 1000,
}
CLEAN_JUNE = {
    "VS.POINTS": 13,
    "VS.OUT_SITES": 6,
    "VS.OUT_DAYS": 66,
    "VS.KIBO_TRIPS": 9,
    "VS.KIBO_STOPS": 27,
    "VS.USERS": 950,
    "VS.VISITS": 2500,
    "VS.VISITS.EVENTS": 1600,
    "VS.VISITS.CHILD": 820,
    "VS.VISITS.YOUTH": 430,
    "VS.LOANS": 1900,
    "VS.EVENTS": 44,
    "VS.EVENTS.OUTDOOR": 28,
    "VS.EVENTS.ACTIONS": 7,
    "VS.EVENTS.FLASHMOBS": 3,
    "VS.EVENTS.GAMES": 11,
    "VS.EVENTS.MASTERCLASSES": 9,
    "VS.EVENTS.READINGS": 6,
    "VS.EVENT_ATT": 1600,
    "VS.EVENT_ATT.OUTDOOR": 1100,
}


def form_v1():
    return FormTemplate.objects.get(code="VS", version=1)


def make_operator(organization, username=None):
    """A library operator bound to one organisation (members.OperatorAccount)."""
    user = make_user(username, group=roles.LIBRARY_OPERATOR, staff=False)
    OperatorAccount.objects.create(user=user, organization=organization)
    return user


def make_report(organization, year, month, values=None, *, status=Report.Status.DRAFT, form=None):
    """A report (of form v1 unless told); its values written as they are, no checks or log."""
    period = services.period_for(year=year, month=month)
    report = services.report_get_or_create(
        organization=organization, form=form or form_v1(), period=period
    )
    if values:
        indicators = {item.indicator.code: item.indicator for item in report.form.items.all()}
        Value.objects.bulk_create(
            [Value(report=report, indicator=indicators[c], value=v) for c, v in values.items()]
        )
    if status != report.status:
        Report.objects.filter(pk=report.pk).update(status=status)
        report.refresh_from_db()
    return report


def stored_values(report):
    return dict(
        Value.objects.filter(report=report, value__isnull=False).values_list(
            "indicator__code", "value"
        )
    )


def pinned_clock(year, month, day, hour=12):
    """The clock stopped at noon (or the hour given) of that day in Novokuznetsk."""
    moment = datetime.datetime(year, month, day, hour, tzinfo=ZoneInfo("Asia/Novokuznetsk"))
    return time_machine.travel(moment, tick=False)
