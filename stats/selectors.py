"""Reads of statistics: a report's values beside last year's, the operator's reports."""

from django.db.models import Q

from .models import FormItem, Indicator, Report, ReportingPeriod, Value


def form_items(form) -> list[FormItem]:
    """The form's lines in order, each with its indicator and the indicator's parent."""
    return list(form.items.select_related("indicator__parent").order_by("order"))


def parents_of(items) -> dict[str, str]:
    """Part code → whole code, for the «из них» lines of a form."""
    return {
        item.indicator.code: item.indicator.parent.code
        for item in items
        if item.indicator.parent_id is not None
    }


def report_values(report: Report) -> dict[str, Value]:
    return {v.indicator.code: v for v in report.values.select_related("indicator")}


def last_year_values(report: Report) -> dict[str, int | None]:
    """The same organisation's figures for the same month a year earlier, by indicator code.

    Any form version counts, and an indicator that replaced an older one inherits its
    figures, so series stay continuous across editions of the form.
    """
    key = (report.organization_id, report.period.year, report.period.month)
    return last_year_values_for([key])[key]


def last_year_values_for(keys) -> dict[tuple[int, int, int], dict[str, int | None]]:
    """last_year_values for many (organisation id, year, month) at once: two queries."""
    keys = set(keys)
    wanted = {(org, year - 1, month): (org, year, month) for org, year, month in keys}
    result: dict[tuple[int, int, int], dict[str, int | None]] = {key: {} for key in keys}
    if not keys:
        return result
    rows = Value.objects.filter(
        report__organization_id__in={org for org, _y, _m in keys},
        report__period__year__in={year - 1 for _o, year, _m in keys},
        report__period__month__in={month for _o, _y, month in keys},
    ).values_list(
        "report__organization_id",
        "report__period__year",
        "report__period__month",
        "indicator__code",
        "indicator_id",
        "value",
    )
    by_id: dict[tuple[int, int, int], dict[int, int | None]] = {}
    for org, year, month, code, indicator_id, value in rows:
        key = wanted.get((org, year, month))
        if key is None:
            continue
        result[key][code] = value
        by_id.setdefault(key, {})[indicator_id] = value
    replaced = {indicator_id for values in by_id.values() for indicator_id in values}
    successors = list(
        Indicator.objects.filter(replaces_id__in=replaced).only("code", "replaces_id")
    )
    for key, values in by_id.items():
        for indicator in successors:
            if indicator.replaces_id in values:
                result[key].setdefault(indicator.code, values[indicator.replaces_id])
    return result


def reports_for_user(user):
    """Reports a library operator may open: those of her own organisation only."""
    account = getattr(user, "operator_account", None)
    if account is None:
        return Report.objects.none()
    return Report.objects.filter(organization_id=account.organization_id)


def operator_organization(user):
    account = getattr(user, "operator_account", None)
    return account.organization if account else None


def open_periods(today=None):
    """Periods up to the current month, newest first (operators report past months)."""
    import datetime

    today = today or datetime.date.today()
    return ReportingPeriod.objects.filter(
        Q(year__lt=today.year) | Q(year=today.year, month__lte=today.month)
    ).order_by("-year", "-month")
