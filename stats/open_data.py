"""The accepted figures as open data: the rows the API (opendata/) and the downloads on
/stats/ (stats/exporters/open_data.py) share.

Only accepted and locked reports count (Report.COUNTED, as on /stats/): a draft, a returned
or a submitted report is nobody's data yet. The operator's explanations stay out: they are
notes to the centre, not figures. Each function is one query (plus the page's count).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Max, QuerySet, Sum

from .models import Indicator, Report, Value


def counted_values() -> QuerySet:
    return Value.objects.filter(report__status__in=Report.COUNTED, value__isnull=False)


def accepted_figures(
    *,
    year: int | None = None,
    month: int | None = None,
    indicator: str | None = None,
    organization: int | None = None,
    municipality: int | None = None,
) -> QuerySet:
    """Every accepted figure as a dict, by period, organisation and indicator code:
    year, month, organization_id, organization, municipality_id, municipality, indicator,
    indicator_name, unit, value."""
    qs = counted_values()
    if year is not None:
        qs = qs.filter(report__period__year=year)
    if month is not None:
        qs = qs.filter(report__period__month=month)
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    if organization is not None:
        qs = qs.filter(report__organization_id=organization)
    if municipality is not None:
        qs = qs.filter(report__organization__municipality_id=municipality)
    return qs.order_by(
        "report__period__year",
        "report__period__month",
        "report__organization__short_name",
        "indicator__code",
    ).values(
        "value",
        year=F("report__period__year"),
        month=F("report__period__month"),
        organization_id=F("report__organization_id"),
        organization=F("report__organization__short_name"),
        municipality_id=F("report__organization__municipality_id"),
        municipality=F("report__organization__municipality__name"),
        indicator_code=F("indicator__code"),
        indicator_name=F("indicator__name"),
        unit=F("indicator__unit"),
    )


def region_totals(
    *, year: int | None = None, month: int | None = None, indicator: str | None = None
) -> QuerySet:
    """The region's sum of each indicator in each month, with the number of organisations
    whose accepted reports make it: year, month, indicator, indicator_name, unit, total,
    organizations."""
    qs = counted_values()
    if year is not None:
        qs = qs.filter(report__period__year=year)
    if month is not None:
        qs = qs.filter(report__period__month=month)
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    return (
        qs.values(
            year=F("report__period__year"),
            month=F("report__period__month"),
            indicator_code=F("indicator__code"),
            indicator_name=F("indicator__name"),
            unit=F("indicator__unit"),
        )
        .annotate(total=Sum("value"), organizations=Count("report__organization", distinct=True))
        .order_by("year", "month", "indicator_code")
    )


def indicators() -> QuerySet:
    """The indicators that have at least one accepted figure, by code."""
    return (
        Indicator.objects.filter(
            values__report__status__in=Report.COUNTED, values__value__isnull=False
        )
        .distinct()
        .order_by("code")
        .values("code", "name", "unit", "kind")
    )


def accepted_years() -> list[int]:
    """The years that have accepted figures, newest first."""
    return list(
        counted_values()
        .order_by("-report__period__year")
        .values_list("report__period__year", flat=True)
        .distinct()
    )


def data_date(year: int) -> datetime.datetime | None:
    """When the newest accepted report of the year was accepted: the date of its data."""
    return Report.objects.counted().filter(period__year=year).aggregate(at=Max("accepted_at"))["at"]


# The licence of the figures the portal gives out (the API, the CSV and JSON downloads):
# anyone may reuse them, naming the source. BRIEF.md names none; the club may choose another.
LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ru"
