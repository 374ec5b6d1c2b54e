"""The secretary links the indicators an item aims to move, and the library systems it
follows, on the item's own admin page (stats registers that page again, above resolutions)."""

import html
import json
import re

import pytest

from members.models import Organization
from resolutions.models import Resolution
from stats.decision_figures import proposed_indicators
from stats.models import DecisionTarget, DecisionTargetSystem, Indicator
from tests.clubportal.test_admin import admin_url
from tests.formscrape import form_data

pytestmark = pytest.mark.django_db

UNTARGETED = (
    "Благодарность или приём в Клуб не меняют показателей: связывайте показатели с решением "
    "или пунктом «отметить»."
)


def item(number, section=Resolution.Section.RESOLVED):
    return Resolution.objects.get(meeting__slug="2021-06-23", section=section, number=number)


def add_texts(page: str) -> dict[str, str]:
    """Each inline's «add another» button, as its data attribute gives it to the admin's JS."""
    found = {}
    for attribute in re.findall(r'data-inline-formset="([^"]*)"', page):
        options = json.loads(html.unescape(attribute))["options"]
        found[options["prefix"]] = options["addText"]
    return found


def with_rows(data, *, indicators=(), organizations=()):
    for prefix, field, values in (
        ("targets", "indicator", indicators),
        ("target_systems", "organization", organizations),
    ):
        start = int(data[f"{prefix}-TOTAL_FORMS"])
        for offset, value in enumerate(values):
            data[f"{prefix}-{start + offset}-{field}"] = str(value)
            data[f"{prefix}-{start + offset}-resolution"] = data.get("id", "")
        data[f"{prefix}-TOTAL_FORMS"] = str(start + len(values))
    return data


def test_the_secretary_links_indicators_and_systems_on_the_items_page(secretary_client, demo):
    note = item(2)
    url = admin_url(Resolution, "change", note.pk)
    page = secretary_client.get(url).content.decode()
    assert "Показатели, которые должен изменить пункт (их покажет страница пункта)" in page
    # A part is named with its whole: two lines read «из них под открытым небом».
    assert "VS.EVENTS.OUTDOOR — Число мероприятий вне стационара, из них под открытым небом" in page
    assert add_texts(page)["targets"] == "Добавить ещё один целевой показатель"
    assert (
        add_texts(page)["target_systems"] == "Добавить ещё одну отслеживаемую библиотечную систему"
    )
    outdoor = Indicator.objects.get(code="VS.EVENTS.OUTDOOR")
    attendance = Indicator.objects.get(code="VS.EVENT_ATT.OUTDOOR")
    kemerovo = Organization.objects.get(short_name="МИБС г. Кемерово")
    data = with_rows(
        form_data(page, "resolution_form"),
        indicators=[outdoor.pk, attendance.pk],
        organizations=[kemerovo.pk],
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(note.targets.order_by("pk").values_list("indicator__code", flat=True)) == [
        "VS.EVENTS.OUTDOOR",
        "VS.EVENT_ATT.OUTDOOR",
    ]
    assert list(note.target_systems.values_list("organization", flat=True)) == [kemerovo.pk]

    # The same indicator twice is told in Russian, and nothing more is saved.
    page = secretary_client.get(url).content.decode()
    data = with_rows(form_data(page, "resolution_form"), indicators=[outdoor.pk])
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert response.content.decode().count("Этот показатель уже связан с пунктом.") == 2
    assert note.targets.count() == 2


def test_a_gratitude_moves_no_figures(secretary_client, demo):
    gratitude = item(1)
    url = admin_url(Resolution, "change", gratitude.pk)
    data = with_rows(
        form_data(secretary_client.get(url).content.decode(), "resolution_form"),
        indicators=[Indicator.objects.get(code="VS.EVENTS").pk],
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert UNTARGETED in response.content.decode()
    assert not DecisionTarget.objects.exists()


def test_the_centre_reads_the_links_and_cannot_change_them(client, centre_methodist, demo):
    note = item(2)
    DecisionTarget.objects.create(
        resolution=note, indicator=Indicator.objects.get(code="VS.EVENTS")
    )
    DecisionTargetSystem.objects.create(
        resolution=note, organization=Organization.objects.get(short_name="МИБС г. Кемерово")
    )
    client.force_login(centre_methodist)
    page = client.get(admin_url(Resolution, "change", note.pk)).content.decode()
    assert "VS.EVENTS" in page and "МИБС г. Кемерово" in page
    assert 'name="targets-0-indicator"' not in page  # read, not edited


def proposed(resolution) -> list[str]:
    indicators = list(Indicator.objects.select_related("parent"))
    return sorted(i.code for i in proposed_indicators(resolution, indicators))


def test_the_text_proposes_the_indicators_it_speaks_of(demo):
    # «…под открытым небом»: the outdoor parts, not their wholes.
    assert proposed(item(2)) == ["VS.EVENTS.OUTDOOR", "VS.EVENT_ATT.OUTDOOR"]
    assert proposed(item(1)) == []  # a gratitude
    assert proposed(item(2, Resolution.Section.DECISIONS)) == []  # professional competitions
    kibo = Resolution(text="Увеличить число выездов КИБО и стоянок КИБО в сёлах.")
    kibo.refresh_search_lemmas()
    assert proposed(kibo) == ["VS.KIBO_STOPS", "VS.KIBO_TRIPS"]


def test_the_items_admin_page_shows_the_proposal_until_it_is_linked(secretary_client, demo):
    note = item(2)
    url = admin_url(Resolution, "change", note.pk)
    page = secretary_client.get(url).content.decode()
    assert "Показатели, о которых говорит текст" in page
    assert "VS.EVENT_ATT.OUTDOOR — Число посещений мероприятий вне стационара, из них" in page
    for code in ("VS.EVENTS.OUTDOOR", "VS.EVENT_ATT.OUTDOOR"):
        DecisionTarget.objects.create(resolution=note, indicator=Indicator.objects.get(code=code))
    page = secretary_client.get(url).content.decode()
    assert "нет: слова текста не называют показателей или все они уже связаны ниже" in page
