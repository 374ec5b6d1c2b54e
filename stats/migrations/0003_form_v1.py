"""Form v1 «Внестационарное обслуживание» (monthly, per ЦБС/МИБС), as BRIEF.md defines it."""

import datetime

from django.db import migrations

SECTION_NETWORK = "Сеть внестационарного обслуживания"
SECTION_KIBO = "КИБО"
SECTION_USERS = "Пользователи, посещения, выдача"
SECTION_EVENTS = "Мероприятия"

# code, name, unit, kind, parent code, 6-НК reference, section
INDICATORS = [
    (
        "VS.POINTS",
        "Число пунктов внестационарного обслуживания",
        "ед.",
        "stock",
        None,
        "6-НК, разд. 1",
        SECTION_NETWORK,
    ),
    (
        "VS.OUT_SITES",
        "Число летних читальных залов и площадок под открытым небом",
        "ед.",
        "stock",
        None,
        "",
        SECTION_NETWORK,
    ),
    (
        "VS.OUT_DAYS",
        "Число дней работы летних читальных залов",
        "дн.",
        "flow",
        None,
        "",
        SECTION_NETWORK,
    ),
    ("VS.KIBO_TRIPS", "Число выездов КИБО", "ед.", "flow", None, "", SECTION_KIBO),
    ("VS.KIBO_STOPS", "Число стоянок КИБО", "ед.", "flow", None, "", SECTION_KIBO),
    (
        "VS.USERS",
        "Число пользователей, обслуженных вне стационара",
        "чел.",
        "flow",
        None,
        "6-НК, разд. 4, вне стационара",
        SECTION_USERS,
    ),
    (
        "VS.VISITS",
        "Число посещений вне стационара — всего",
        "ед.",
        "flow",
        None,
        "6-НК, разд. 4, вне стационара",
        SECTION_USERS,
    ),
    (
        "VS.VISITS.EVENTS",
        "из них посещения мероприятий",
        "ед.",
        "flow",
        "VS.VISITS",
        "6-НК, разд. 4",
        SECTION_USERS,
    ),
    (
        "VS.VISITS.CHILD",
        "из них дети до 14 лет",
        "ед.",
        "flow",
        "VS.VISITS",
        "6-НК, разд. 4",
        SECTION_USERS,
    ),
    (
        "VS.VISITS.YOUTH",
        "из них молодёжь 15–30 лет",
        "ед.",
        "flow",
        "VS.VISITS",
        "6-НК, разд. 4",
        SECTION_USERS,
    ),
    (
        "VS.LOANS",
        "Выдано документов вне стационара",
        "экз.",
        "flow",
        None,
        "6-НК, разд. 4, вне стационара",
        SECTION_USERS,
    ),
    (
        "VS.EVENTS",
        "Число мероприятий вне стационара",
        "ед.",
        "flow",
        None,
        "6-НК, разд. 4",
        SECTION_EVENTS,
    ),
    (
        "VS.EVENTS.OUTDOOR",
        "из них под открытым небом",
        "ед.",
        "flow",
        "VS.EVENTS",
        "",
        SECTION_EVENTS,
    ),
    ("VS.EVENTS.ACTIONS", "из них акции", "ед.", "flow", "VS.EVENTS", "", SECTION_EVENTS),
    ("VS.EVENTS.FLASHMOBS", "из них флешмобы", "ед.", "flow", "VS.EVENTS", "", SECTION_EVENTS),
    (
        "VS.EVENTS.GAMES",
        "из них интерактивные игры",
        "ед.",
        "flow",
        "VS.EVENTS",
        "",
        SECTION_EVENTS,
    ),
    (
        "VS.EVENTS.MASTERCLASSES",
        "из них мастер-классы",
        "ед.",
        "flow",
        "VS.EVENTS",
        "",
        SECTION_EVENTS,
    ),
    ("VS.EVENTS.READINGS", "из них громкие чтения", "ед.", "flow", "VS.EVENTS", "", SECTION_EVENTS),
    (
        "VS.EVENT_ATT",
        "Число посещений мероприятий вне стационара",
        "ед.",
        "flow",
        None,
        "",
        SECTION_EVENTS,
    ),
    (
        "VS.EVENT_ATT.OUTDOOR",
        "из них под открытым небом",
        "ед.",
        "flow",
        "VS.EVENT_ATT",
        "",
        SECTION_EVENTS,
    ),
]


def create_form_v1(apps, schema_editor):
    Indicator = apps.get_model("stats", "Indicator")
    FormTemplate = apps.get_model("stats", "FormTemplate")
    FormItem = apps.get_model("stats", "FormItem")
    created = {}
    for code, name, unit, kind, parent, nk6, _section in INDICATORS:
        created[code], _ = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "kind": kind,
                "parent": created.get(parent),
                "nk6_reference": nk6,
            },
        )
    form, made = FormTemplate.objects.get_or_create(
        code="VS",
        version=1,
        defaults={
            "name": "Внестационарное обслуживание",
            "status": "approved",
            # The club resolved on 23 June 2021 to unify and approve the statistics forms.
            "approved_on": datetime.date(2021, 6, 23),
        },
    )
    if made:
        FormItem.objects.bulk_create(
            [
                FormItem(form=form, indicator=created[code], order=n, section=section)
                for n, (code, *_rest, section) in enumerate(INDICATORS, start=1)
            ]
        )


def remove_form_v1(apps, schema_editor):
    apps.get_model("stats", "FormTemplate").objects.filter(code="VS", version=1).delete()
    apps.get_model("stats", "Indicator").objects.filter(
        code__in=[row[0] for row in INDICATORS], parent__isnull=False
    ).delete()
    apps.get_model("stats", "Indicator").objects.filter(
        code__in=[row[0] for row in INDICATORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("stats", "0002_workflow")]

    operations = [migrations.RunPython(create_form_v1, remove_form_v1)]
