"""Pages of a library operator: her organisation's reports, entering and submitting figures."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import services
from ..access import operator_report, operator_required
from ..forms import NewReportForm, ReportForm, explain_field
from ..models import Report
from ..selectors import ReportState, reports_for_user


def report_form(state: ReportState, report: Report, data=None) -> ReportForm:
    """The report's form filled with its stored figures, or with what was posted."""
    initial = {"version": report.version}
    for code, stored in state.values.items():
        initial[code] = stored.value
        if stored.explanation:
            initial[explain_field(code)] = stored.explanation
    return ReportForm(
        data,
        initial=initial,
        items=state.items,
        last_year=state.last_year,
        # The findings belong to the saved figures: beside figures just typed (and
        # refused) they would mislead.
        findings=state.findings if data is None else {},
        explained=state.explained,
    )


def _my_reports_page(request, new_form):
    reports = (
        reports_for_user(request.user)
        .select_related("form", "period")
        .order_by("-period__year", "-period__month", "form__code", "-form__version")
    )
    return render(
        request,
        "stats/entry/my_reports.html",
        {
            "organization": request.user.operator_account.organization,
            "reports": reports,
            "new_form": new_form,
        },
    )


@operator_required
@require_safe
def my_reports(request):
    return _my_reports_page(request, NewReportForm())


@operator_required
@require_POST
def report_new(request):
    form = NewReportForm(request.POST)
    if not form.is_valid():
        return _my_reports_page(request, form)
    period = services.period_for(year=form.cleaned_data["year"], month=form.cleaned_data["month"])
    report = services.report_get_or_create(
        organization=request.user.operator_account.organization,
        form=form.cleaned_data["form"],
        period=period,
    )
    return redirect("stats:report_edit", pk=report.pk)


def _render_report(request, report, state, form=None, error=None):
    return render(
        request,
        "stats/entry/report.html",
        {
            "report": report,
            "form": form,
            "lines": None if form else state.lines(),
            "error": error,
            "comment": report.comment if report.status == Report.Status.RETURNED else "",
        },
    )


@operator_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_edit(request, pk):
    report = operator_report(request.user, pk)
    if request.method == "POST" and not report.is_editable:
        # Refused before anything is read: an accepted report is never written to.
        messages.error(request, services.NOT_EDITABLE % {"status": report.get_status_display()})
        return redirect("stats:report_edit", pk=report.pk)
    state = ReportState.of(report)
    if not report.is_editable:
        return _render_report(request, report, state)
    if request.method != "POST":
        return _render_report(request, report, state, report_form(state, report))

    form = report_form(state, report, request.POST)
    if not form.is_valid():
        # Nothing is saved, and the page comes back with every typed value in place.
        error = _("Nothing was saved: correct the figures marked in red. What you typed is kept.")
        return _render_report(request, report, state, form, error)
    try:
        services.report_save_values(
            report=report,
            values=form.figures(),
            explanations=form.explanations(),
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except services.WorkflowError as refused:
        return _render_report(request, report, state, form, refused.message)
    if form.submitting:
        _submit(request, report, saved=True)
    else:
        messages.success(request, _("Draft saved."))
    return redirect("stats:report_edit", pk=report.pk)


def _submit(request, report, *, saved=False):
    try:
        services.report_submit(report=report, user=request.user)
    except services.WorkflowError as refused:
        if saved:
            messages.success(request, _("Draft saved."))
        # The findings themselves are shown next to their figures on the page.
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The report has been submitted to the methodical centre."))


@operator_required
@require_POST
def report_submit(request, pk):
    """Submit the figures as saved (after an Excel import, say) without editing them."""
    report = operator_report(request.user, pk)
    _submit(request, report)
    return redirect("stats:report_edit", pk=report.pk)
