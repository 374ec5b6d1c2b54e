"""Pages of the regional methodical centre: the board of reports, reviewing one report."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import services
from ..access import centre_required
from ..forms import BoardFilterForm, ReopenForm, ReturnForm
from ..models import Report
from ..selectors import ReportState, board_rows, form_codes

REOPENABLE = (Report.Status.ACCEPTED, Report.Status.LOCKED)


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
