"""Pages of the regional methodical centre: the board of reports, reviewing one report."""

import calendar
import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST, require_safe

from members.models import Organization

from .. import services
from ..access import centre_required
from ..forms import BoardFilterForm, ReopenForm, ReturnForm
from ..models import FormTemplate, Report, ReportingPeriod
from .entry import ReportState

SHORT_STATUS = {
    Report.Status.DRAFT: pgettext_lazy("short report status", "draft"),
    Report.Status.SUBMITTED: pgettext_lazy("short report status", "submitted"),
    Report.Status.RETURNED: pgettext_lazy("short report status", "returned"),
    Report.Status.ACCEPTED: pgettext_lazy("short report status", "accepted"),
    Report.Status.LOCKED: pgettext_lazy("short report status", "closed"),
}
NOT_SUBMITTED = (None, Report.Status.DRAFT, Report.Status.RETURNED)
HANDED_IN = (Report.Status.SUBMITTED, Report.Status.ACCEPTED, Report.Status.LOCKED)
REOPENABLE = (Report.Status.ACCEPTED, Report.Status.LOCKED)


def default_due_date(year: int, month: int) -> datetime.date:
    # The rule of services.period_for, for months nobody has opened a report for yet.
    last_day = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return last_day + datetime.timedelta(days=5)


@dataclass
class Cell:
    month: int
    report_pk: int | None
    status: str | None
    overdue: bool

    @property
    def label(self) -> str:
        return SHORT_STATUS[self.status] if self.status else "—"


def board_rows(*, year: int, form_code: str, municipality=None, today=None):
    """Library systems × the months of a year: each cell the report's status.

    Three queries whatever the number of organisations: the organisations, the
    year's periods (for their due dates) and the reports, read as plain rows.
    """
    today = today or timezone.localdate()
    organizations = Organization.objects.library_systems().select_related("municipality")
    if municipality is not None:
        organizations = organizations.filter(municipality=municipality)
    organizations = list(organizations.order_by("municipality__name", "short_name"))
    due = dict(ReportingPeriod.objects.filter(year=year).values_list("month", "due_date"))
    reports = {}
    rows = Report.objects.filter(
        period__year=year,
        form__code=form_code,
        organization__in=[o.pk for o in organizations],
    ).values_list("organization_id", "period__month", "pk", "status")
    # Newer versions of the form come last and win when a month was reported twice.
    for organization_id, month, pk, status in rows.order_by("form__version"):
        reports[organization_id, month] = (pk, status)

    table = []
    for organization in organizations:
        cells = []
        for month in range(1, 13):
            pk, status = reports.get((organization.pk, month), (None, None))
            due_date = due.get(month) or default_due_date(year, month)
            cells.append(Cell(month, pk, status, status in NOT_SUBMITTED and due_date < today))
        table.append((organization, cells))
    handed_in = [
        sum(1 for _org, cells in table if cells[month - 1].status in HANDED_IN)
        for month in range(1, 13)
    ]
    return table, handed_in


def form_codes():
    """(code, name) of every approved form, the name of its newest version."""
    codes = {}
    for code, name in (
        FormTemplate.objects.filter(status=FormTemplate.Status.APPROVED)
        .order_by("code", "-version")
        .values_list("code", "name")
    ):
        codes.setdefault(code, name)
    return list(codes.items())


@centre_required
@require_safe
def board(request):
    today = timezone.localdate()
    codes = form_codes()
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    data.setdefault("form", codes[0][0] if codes else "")
    form = BoardFilterForm(data, form_codes=codes, today=today)
    if form.is_valid():
        year = form.cleaned_data["year"]
        code = form.cleaned_data["form"] or (codes[0][0] if codes else "")
        municipality = form.cleaned_data["municipality"]
    else:
        year, code, municipality = today.year, codes[0][0] if codes else "", None
    table, handed_in = board_rows(year=year, form_code=code, municipality=municipality, today=today)
    return render(
        request,
        "stats/review/board.html",
        {
            "filter_form": form,
            "year": year,
            "months": [MONTHS_3[m] for m in range(1, 13)],
            "table": table,
            "handed_in": handed_in,
            "organizations_count": len(table),
        },
    )


def _report(pk) -> Report:
    return get_object_or_404(
        Report.objects.select_related("organization__municipality", "form", "period"), pk=pk
    )


def _action_url(report, action):
    return reverse("stats:review_action", args=[report.pk, action])


def _review_page(request, report, *, return_form=None, reopen_form=None):
    state = ReportState.of(report)
    status = report.status
    return render(
        request,
        "stats/review/report.html",
        {
            "report": report,
            "lines": state.lines(),
            "transitions": report.transitions.select_related("user").order_by("at", "pk"),
            "imports": report.imports.select_related("user").order_by("-at"),
            "can_accept": status == Report.Status.SUBMITTED,
            "can_lock": status == Report.Status.ACCEPTED,
            "return_form": (
                return_form or ReturnForm(action_url=_action_url(report, "return"))
                if status == Report.Status.SUBMITTED
                else None
            ),
            "reopen_form": (
                reopen_form or ReopenForm(action_url=_action_url(report, "reopen"))
                if status in REOPENABLE
                else None
            ),
        },
    )


@centre_required
@require_safe
def report_review(request, pk):
    return _review_page(request, _report(pk))


@centre_required
@require_POST
def report_action(request, pk, action):
    if action not in ("accept", "return", "reopen", "lock"):
        raise Http404
    report = _report(pk)
    try:
        if action == "accept":
            services.report_accept(report=report, user=request.user)
            done = _("The report has been accepted.")
        elif action == "lock":
            services.report_lock(report=report, user=request.user)
            done = _("The report has been closed.")
        elif action == "return":
            form = ReturnForm(request.POST, action_url=_action_url(report, action))
            if report.status == Report.Status.SUBMITTED and not form.is_valid():
                return _review_page(request, report, return_form=form)
            comment = form.data.get("comment", "")
            services.report_return(report=report, user=request.user, comment=comment)
            done = _("The report has been returned to the library for correction.")
        else:
            form = ReopenForm(request.POST, action_url=_action_url(report, action))
            if report.status in REOPENABLE and not form.is_valid():
                return _review_page(request, report, reopen_form=form)
            reason = form.data.get("reason", "")
            services.report_reopen(report=report, user=request.user, reason=reason)
            done = _("The report has been reopened and returned to the library.")
    except services.WorkflowError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect("stats:review_report", pk=report.pk)
