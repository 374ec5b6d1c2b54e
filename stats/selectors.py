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
    rows = Value.objects.filter(
        report__organization_id=report.organization_id,
        report__period__year=report.period.year - 1,
        report__period__month=report.period.month,
    ).values_list("indicator__code", "indicator_id", "value")
    by_id = {indicator_id: value for _code, indicator_id, value in rows}
    result = {code: value for code, _id, value in rows}
    for indicator in Indicator.objects.filter(replaces_id__in=by_id.keys()).only(
        "code", "replaces_id"
    ):
        result.setdefault(indicator.code, by_id[indicator.replaces_id])
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
