"""Hostile organisation names in the centre's statistics files.

One part of the hostile-input suite (tests/hostile/__init__.py says what it covers).
"""

import pytest

from stats import services
from stats.models import FormTemplate, Indicator, Report, Value
from tests.helpers import (
    make_municipality,
    make_organization,
    normalize,
)
from tests.hostile.common import (
    CYRILLIC,
    FORMULAS,
    MARKUP,
    assert_escaped,
    assert_nothing_outside,
    excel_text,
    fitting,
    pdf_text,
    workbook_texts,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [fitting(MARKUP, 200), FORMULAS[0], FORMULAS[4], CYRILLIC],
    ids=["markup", "hyperlink", "tab", "cyrillic"],
)
def test_hostile_organisation_names_reach_the_statistics_files_as_text(
    client, centre_methodist, outside, name
):
    # Through the ORM: the admin strips the leading tab a file import could keep.
    organization = make_organization(name, municipality=make_municipality(name))
    organization.full_name = name
    organization.save()
    form = FormTemplate.objects.get(code="VS", version=1)
    indicators = {i.code: i for i in Indicator.objects.filter(code__startswith="VS.")}
    for month in (6, 7):
        period = services.period_for(year=2024, month=month)
        accepted = Report.objects.create(
            organization=organization, form=form, period=period, status=Report.Status.ACCEPTED
        )
        Value.objects.bulk_create(
            [
                Value(report=accepted, indicator=indicators[code], value=value)
                for code, value in {
                    "VS.EVENTS": 10,
                    "VS.EVENTS.OUTDOOR": 4,
                    "VS.OUT_SITES": 2,
                }.items()
            ]
        )
    expected = excel_text(name)
    assert expected in workbook_texts(client.get("/stats/summer/2024.xlsx"))
    client.force_login(centre_methodist)
    assert expected in workbook_texts(client.get("/stats/export/accepted.xlsx"))
    assert any(expected in t for t in workbook_texts(client.get("/stats/export/summary-2024.xlsx")))
    assert any(
        expected in t
        for t in workbook_texts(client.get(f"/stats/review/{accepted.pk}/template.xlsx"))
    )
    assert_escaped(client.get("/stats/review/", {"year": "2024"}))
    assert_escaped(client.get("/stats/", {"year": "2024"}))
    text, _reader = pdf_text(client.get("/stats/summer/2024.pdf"))
    assert normalize(name) in text
    assert_nothing_outside(outside)
