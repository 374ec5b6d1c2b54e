"""Demo statistics: Kuzbass's municipalities, their library systems and form v1 figures 2019–2025.

The figures are made up but plausible: summer peaks of outdoor work, the spring 2020
lockdown (libraries closed in April–May), and, as the minutes of 23 June 2021 say, more
outdoor events and visitors in the summer of 2020 and positive dynamics since. Parts
(«из них») are never above their wholes. Random numbers are seeded by organisation and
month, so every run writes the same figures, and only what is missing is written:
running the loader twice changes nothing, and a report someone has since edited stays.

Every demo report is accepted and carries stats.region_figures.DEMO_MARKER at the start of its
comment: while such reports are counted, the dashboard, its PDF and workbook say the
figures are for show.
"""

from __future__ import annotations

import calendar
import datetime
import math
import os
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from kernel.roles import CENTRE_METHODIST, LIBRARY_OPERATOR
from members.models import Municipality, OperatorAccount, Organization
from resolutions.models import Resolution
from stats.models import (
    DecisionTarget,
    DecisionTargetSystem,
    FormTemplate,
    Indicator,
    Report,
    ReportingPeriod,
    Value,
)
from stats.region_figures import DEMO_MARKER

from .club import MEETING_DATE

YEARS = range(2019, 2026)
FORM_CODE, FORM_VERSION = "VS", 1
DEMO_COMMENT = f"{DEMO_MARKER} Демонстрационные данные: созданы командой load_demo."

DEMO_CENTRE_USERNAME = "centre"
DEMO_CENTRE_DEFAULT_PASSWORD = "kuzbass-centre-2021"
DEMO_OPERATOR_USERNAME = "operator"
DEMO_OPERATOR_DEFAULT_PASSWORD = "kuzbass-operator-2021"
OPERATOR_ORGANIZATION = "МИБС г. Кемерово"
# Left for the demo operator to fill in: the summer of 2025 of her own library system.
LEFT_TO_FILL = {(OPERATOR_ORGANIZATION, 2025, month) for month in (6, 7, 8)}
# Item 2 of «постановили»: «…продолжить работу по развитию библиотечного обслуживания
# населения в летний период под открытым небом» aims at the outdoor events and their
# attendance; its page follows two library systems beside the region.
OUTDOOR_NOTE_NUMBER = 2
OUTDOOR_TARGETS = ("VS.EVENTS.OUTDOOR", "VS.EVENT_ATT.OUTDOOR")
OUTDOOR_TARGET_SYSTEMS = ("МИБС г. Новокузнецка", "МИБС г. Кемерово")

# Kemerovo Oblast — Kuzbass: 16 city districts (городские округа), 17 municipal districts
# (муниципальные округа) and the Tashtagol municipal district (район). Municipality name,
# library system short name, and its scale (how much off-site work it does; 1 ≈ a town).
CITY = "городской округ"
MUNICIPAL = "муниципальный округ"
LIBRARY_SYSTEMS = [
    ("Анжеро-Судженский " + CITY, "ЦБС Анжеро-Судженского городского округа", 0.9),
    ("Беловский " + CITY, "ЦБС г. Белово", 1.0),
    ("Березовский " + CITY, "ЦБС г. Березовского", 0.7),
    ("Калтанский " + CITY, "ЦБС Калтанского городского округа", 0.5),
    ("Кемеровский " + CITY, "МИБС г. Кемерово", 2.2),
    ("Киселевский " + CITY, "ЦБС Киселевского городского округа", 1.0),
    ("Краснобродский " + CITY, "ЦБС Краснобродского городского округа", 0.4),
    ("Ленинск-Кузнецкий " + CITY, "ЦБС г. Ленинска-Кузнецкого", 1.1),
    ("Междуреченский " + CITY, "ЦБС г. Междуреченска", 1.1),
    ("Мысковский " + CITY, "ЦБС г. Мыски", 0.6),
    ("Новокузнецкий " + CITY, "МИБС г. Новокузнецка", 2.6),
    ("Осинниковский " + CITY, "ЦБС г. Осинники", 0.6),
    ("Полысаевский " + CITY, "Полысаевская ЦБС", 0.5),
    ("Прокопьевский " + CITY, "ЦБС г. Прокопьевска", 1.4),
    ("Тайгинский " + CITY, "ЦБС г. Тайги", 0.4),
    ("Юргинский " + CITY, "ЦБС г. Юрги", 0.9),
    ("Беловский " + MUNICIPAL, None, 0.8),
    ("Гурьевский " + MUNICIPAL, None, 0.7),
    ("Ижморский " + MUNICIPAL, None, 0.5),
    ("Кемеровский " + MUNICIPAL, None, 0.8),
    ("Крапивинский " + MUNICIPAL, None, 0.6),
    ("Ленинск-Кузнецкий " + MUNICIPAL, None, 0.7),
    ("Мариинский " + MUNICIPAL, None, 0.8),
    ("Новокузнецкий " + MUNICIPAL, None, 0.9),
    ("Прокопьевский " + MUNICIPAL, None, 0.8),
    ("Промышленновский " + MUNICIPAL, None, 0.9),
    ("Таштагольский муниципальный район", None, 0.9),
    ("Тисульский " + MUNICIPAL, None, 0.6),
    ("Топкинский " + MUNICIPAL, None, 0.7),
    ("Тяжинский " + MUNICIPAL, None, 0.6),
    ("Чебулинский " + MUNICIPAL, None, 0.5),
    ("Юргинский " + MUNICIPAL, None, 0.6),
    ("Яйский " + MUNICIPAL, None, 0.5),
    ("Яшкинский " + MUNICIPAL, None, 0.6),
]

# Outdoor events by month (June = 1): summer peak, Maslenitsa in February, New Year.
OUTDOOR_SEASON = {
    1: 0.04,
    2: 0.10,
    3: 0.04,
    4: 0.06,
    5: 0.35,
    6: 1.0,
    7: 1.0,
    8: 0.9,
    9: 0.35,
    10: 0.08,
    11: 0.02,
    12: 0.06,
}
# Other off-site events (at service points, schools, homes): fewer in the holidays.
INDOOR_SEASON = dict(
    enumerate([0.8, 1.0, 1.05, 1.0, 0.95, 0.6, 0.45, 0.5, 0.95, 1.05, 1.0, 1.0], start=1)
)
# The year's level of off-site work: the lockdown of 2020, then recovery and growth.
YEAR_LEVEL = {2019: 1.0, 2020: 0.8, 2021: 0.95, 2022: 1.03, 2023: 1.09, 2024: 1.15, 2025: 1.21}
# Summer outdoor work grew even in 2020: it was the service allowed after self-isolation.
OUTDOOR_LEVEL = {2019: 1.0, 2020: 1.09, 2021: 1.17, 2022: 1.25, 2023: 1.32, 2024: 1.39, 2025: 1.56}
# Months of 2020–2021 under restrictions: libraries closed in April–May 2020.
LOCKDOWN = {
    (2020, 3): 0.75,
    (2020, 4): 0.05,
    (2020, 5): 0.15,
    (2020, 6): 0.7,
    (2020, 10): 0.85,
    (2020, 11): 0.7,
    (2020, 12): 0.8,
    (2021, 1): 0.85,
    (2021, 2): 0.9,
}
OUTDOOR_MONTHS = (6, 7, 8, 9)
SITE_MONTHS = {5: 0.5, 6: 1.0, 7: 1.0, 8: 1.0, 9: 0.5}


def genitive(name: str) -> str:
    """«Беловский муниципальный округ» → «Беловского муниципального округа»."""
    *adjectives, noun = name.split()
    adjectives = [
        word[:-2] + "ого" if word.endswith(("ий", "ый", "ой")) else word for word in adjectives
    ]
    return " ".join([*adjectives, noun + "а"])


def library_systems() -> list[tuple[str, str, str, float]]:
    """(municipality, short name, full name, scale) of every library system of the demo."""
    result = []
    for municipality, short, scale in LIBRARY_SYSTEMS:
        of_municipality = genitive(municipality)
        result.append(
            (
                municipality,
                short or f"ЦБС {of_municipality}",
                f"Централизованная библиотечная система {of_municipality}",
                scale,
            )
        )
    return result


def month_figures(organization: str, scale: float, year: int, month: int) -> dict[str, int]:
    """Form v1 figures of one library system for one month; the same on every run."""
    rng = random.Random(f"{organization}|{year}|{month}")
    profile = random.Random(f"{organization}|profile")
    has_kibo = profile.random() < 0.45
    base_points = round(6 + 14 * scale)
    base_sites = max(1, round(4 * scale * profile.uniform(0.8, 1.2)))

    def noise() -> float:
        return rng.uniform(0.9, 1.1)

    lockdown = LOCKDOWN.get((year, month), 1.0)
    general = YEAR_LEVEL[year] * lockdown
    outdoor_level = OUTDOOR_LEVEL[year] if month in OUTDOOR_MONTHS else general
    outdoor = round(22 * scale * OUTDOOR_SEASON[month] * outdoor_level * noise())
    indoor = round(18 * scale * INDOOR_SEASON[month] * general * noise())
    events = outdoor + indoor
    outdoor_attendance = round(outdoor * rng.uniform(22, 38))
    attendance = outdoor_attendance + round(indoor * rng.uniform(12, 22))
    other_visits = round(450 * scale * INDOOR_SEASON[month] ** 0.5 * general * noise())
    visits = attendance + other_visits

    sites = 0
    days = 0
    if month in SITE_MONTHS:
        sites = round(base_sites * OUTDOOR_LEVEL[year] * SITE_MONTHS[month])
        per_site = rng.uniform(14, 22) if SITE_MONTHS[month] == 1.0 else rng.uniform(4, 8)
        days = min(round(sites * per_site), sites * calendar.monthrange(year, month)[1])

    trips = stops = 0
    if has_kibo:
        winter = 0.8 if month in (12, 1, 2) else 1.0
        trips = round(rng.uniform(6, 10) * winter * general)
        stops = trips * rng.randint(2, 4)

    def share(low: float, high: float) -> int:
        return math.floor(events * rng.uniform(low, high))

    return {
        "VS.POINTS": base_points + (year - 2019) // 2,
        "VS.OUT_SITES": sites,
        "VS.OUT_DAYS": days,
        "VS.KIBO_TRIPS": trips,
        "VS.KIBO_STOPS": stops,
        "VS.USERS": math.floor(other_visits * rng.uniform(0.3, 0.4) + attendance * 0.1),
        "VS.VISITS": visits,
        "VS.VISITS.EVENTS": attendance,
        "VS.VISITS.CHILD": math.floor(visits * rng.uniform(0.30, 0.40)),
        "VS.VISITS.YOUTH": math.floor(visits * rng.uniform(0.15, 0.22)),
        "VS.LOANS": math.floor(other_visits * rng.uniform(1.6, 2.2)),
        "VS.EVENTS": events,
        "VS.EVENTS.OUTDOOR": outdoor,
        "VS.EVENTS.ACTIONS": share(0.15, 0.25),
        "VS.EVENTS.FLASHMOBS": share(0.03, 0.07),
        "VS.EVENTS.GAMES": share(0.10, 0.18),
        "VS.EVENTS.MASTERCLASSES": share(0.08, 0.14),
        "VS.EVENTS.READINGS": share(0.06, 0.12),
        "VS.EVENT_ATT": attendance,
        "VS.EVENT_ATT.OUTDOOR": outdoor_attendance,
    }


@dataclass
class DemoStatsResult:
    organizations: int
    reports_created: int
    values_created: int


def _periods() -> dict[tuple[int, int], ReportingPeriod]:
    wanted = []
    for year in YEARS:
        for month in range(1, 13):
            last = datetime.date(year, month, calendar.monthrange(year, month)[1])
            # Due on the 5th of the following month, as stats.services.period_for sets it.
            wanted.append(
                ReportingPeriod(year=year, month=month, due_date=last + datetime.timedelta(5))
            )
    ReportingPeriod.objects.bulk_create(wanted, ignore_conflicts=True)
    return {(p.year, p.month): p for p in ReportingPeriod.objects.filter(year__in=list(YEARS))}


def _organizations() -> dict[str, tuple[Organization, float]]:
    result = {}
    for municipality_name, short, full, scale in library_systems():
        municipality, _ = Municipality.objects.get_or_create(name=municipality_name)
        organization, _ = Organization.objects.get_or_create(
            short_name=short,
            defaults={
                "full_name": full,
                "kind": Organization.Kind.MIBS
                if short.startswith("МИБС")
                else Organization.Kind.CBS,
                "municipality": municipality,
            },
        )
        result[short] = (organization, scale)
    return result


def _accepted_at(year: int, month: int) -> datetime.datetime:
    # Submitted by the 5th of the following month, accepted a few days later.
    following = datetime.date(year, month, 1) + datetime.timedelta(days=32)
    return datetime.datetime(
        following.year, following.month, 9, 11, 0, tzinfo=timezone.get_default_timezone()
    )


@transaction.atomic
def demo_statistics_load() -> DemoStatsResult:
    """The demo municipalities, library systems and accepted monthly reports, once."""
    form = FormTemplate.objects.get(code=FORM_CODE, version=FORM_VERSION)
    _link_form_to_the_decision(form)
    organizations = _organizations()
    _link_the_outdoor_note(organizations)
    periods = _periods()
    indicators = {i.code: i for i in Indicator.objects.filter(items__form=form).only("pk", "code")}
    existing = set(
        Report.objects.filter(form=form, period__year__in=list(YEARS)).values_list(
            "organization_id", "period_id"
        )
    )
    reports, figures = [], []
    for short, (organization, scale) in organizations.items():
        for (year, month), period in sorted(periods.items()):
            if (organization.pk, period.pk) in existing or (short, year, month) in LEFT_TO_FILL:
                continue
            accepted = _accepted_at(year, month)
            reports.append(
                Report(
                    organization=organization,
                    form=form,
                    period=period,
                    status=Report.Status.ACCEPTED,
                    comment=DEMO_COMMENT,
                    submitted_at=accepted - datetime.timedelta(days=4),
                    accepted_at=accepted,
                )
            )
            figures.append(month_figures(short, scale, year, month))
    Report.objects.bulk_create(reports, batch_size=500)
    values = [
        Value(report=report, indicator=indicators[code], value=value)
        for report, month_values in zip(reports, figures, strict=True)
        for code, value in month_values.items()
        if code in indicators
    ]
    Value.objects.bulk_create(values, batch_size=2000)
    return DemoStatsResult(
        organizations=len(organizations),
        reports_created=len(reports),
        values_created=len(values),
    )


def _link_form_to_the_decision(form: FormTemplate) -> None:
    """Form v1 was approved by decision 1 of the demo minutes: «…унифицировать и утвердить
    формы библиотечной статистики…»; linked when those minutes are loaded."""
    if form.approved_by_id is not None:
        return
    decision = Resolution.objects.filter(
        meeting__slug=MEETING_DATE.isoformat(),
        section=Resolution.Section.DECISIONS,
        number=1,
    ).first()
    if decision is not None:
        form.approved_by = decision
        # The approval record of v1, linked once its minutes exist; its rows stay as they are.
        form.save(update_fields=["approved_by"], workflow=True)


def _link_the_outdoor_note(organizations: dict[str, tuple[Organization, float]]) -> None:
    """The indicators and library systems item 2 of «постановили» aims at, linked once its
    minutes exist and while the item has no indicators: a rerun leaves the secretary's
    choice alone."""
    note = Resolution.objects.filter(
        meeting__slug=MEETING_DATE.isoformat(),
        section=Resolution.Section.RESOLVED,
        number=OUTDOOR_NOTE_NUMBER,
    ).first()
    if note is None or DecisionTarget.objects.filter(resolution=note).exists():
        return
    for code in OUTDOOR_TARGETS:
        DecisionTarget.objects.create(resolution=note, indicator=Indicator.objects.get(code=code))
    for short in OUTDOOR_TARGET_SYSTEMS:
        DecisionTargetSystem.objects.create(resolution=note, organization=organizations[short][0])


def _demo_user(username: str, password: str, *, group: str, staff: bool, **names):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": staff, **names}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group))
    return user, created


@transaction.atomic
def demo_statistics_accounts() -> list[tuple[str, str | None]]:
    """The demo centre methodist and library operator (debug only): logins and, while
    unchanged, their passwords."""
    if not settings.DEBUG:
        raise RuntimeError("The demo accounts are created only with debug on.")
    centre_password = os.environ.get("DEMO_CENTRE_PASSWORD") or DEMO_CENTRE_DEFAULT_PASSWORD
    operator_password = os.environ.get("DEMO_OPERATOR_PASSWORD") or DEMO_OPERATOR_DEFAULT_PASSWORD
    centre, _ = _demo_user(
        DEMO_CENTRE_USERNAME,
        centre_password,
        group=CENTRE_METHODIST,
        staff=True,
        first_name="Методист",
        last_name="Центра",
    )
    operator, _ = _demo_user(
        DEMO_OPERATOR_USERNAME,
        operator_password,
        group=LIBRARY_OPERATOR,
        staff=False,
        first_name="Оператор",
        last_name="МИБС г. Кемерово",
    )
    organization = Organization.objects.filter(short_name=OPERATOR_ORGANIZATION).first()
    if organization is not None:
        OperatorAccount.objects.get_or_create(
            user=operator, defaults={"organization": organization}
        )
    return [
        (centre.username, centre_password if centre.check_password(centre_password) else None),
        (
            operator.username,
            operator_password if operator.check_password(operator_password) else None,
        ),
    ]
