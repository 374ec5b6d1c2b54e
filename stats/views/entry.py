"""Pages of a library operator: her months to do and her organisation's reports, entering and
submitting figures, the PDF of a report handed in."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kernel.downloads import PDF, download_response

from .. import services
from ..access import operator_report, operator_required
from ..collection import operator_todo
from ..exporters import period_label
from ..forms import NewReportForm, ReportForm, explain_field
from ..models import FormTemplate, Report
from ..report_print import report_pdf_bytes, report_print_data
from ..selectors import ReportState, form_version_for
from .public import DOCUMENT_LANGUAGE


def report_form(state: ReportState, report: Report, data=None, *, form_class=ReportForm):
    """The report's form filled with its stored figures, or with what was posted."""
    initial = {"version": report.version}
    for code, stored in state.values.items():
        initial[code] = stored.value
        if stored.explanation:
            initial[explain_field(code)] = stored.explanation
    return form_class(
        data,
        initial=initial,
        items=state.items,
        last_year=state.last_year,
        limit=report.form.max_value,
        # The findings belong to the saved figures: beside figures just typed (and
        # refused) they would mislead.
        findings=state.findings if data is None else {},
        explained=state.explained,
    )


def _my_reports_page(request, new_form=None):
    organization = request.user.operator_account.organization
    # One query for the approved versions: the to-do's months and the form's choices.
    versions = list(FormTemplate.objects.approved().order_by("code", "version"))
    return render(
        request,
        "stats/entry/my_reports.html",
        {
            "organization": organization,
            "todo": operator_todo(organization, versions=versions),
            "new_form": new_form or NewReportForm(versions=versions),
        },
    )


@operator_required
@require_safe
def my_reports(request):
    return _my_reports_page(request)


@operator_required
@require_POST
def report_new(request):
    form = NewReportForm(request.POST)
    if not form.is_valid():
        return _my_reports_page(request, form)
    code, year, month = (form.cleaned_data[name] for name in ("form", "year", "month"))
    try:
        report = services.report_open(
            organization=request.user.operator_account.organization,
            year=year,
            month=month,
            code=code,
        )
    except services.WorkflowError as refused:
        form.add_error(None, refused.message)
        return _my_reports_page(request, form)
    applying = form_version_for(code, year, month)
    if applying is not None and applying.pk != report.form_id:
        messages.info(
            request,
            _(
                "The report for %(period)s was opened on version %(version)s of the form "
                "before version %(applying)s applied to that month; it stays on version "
                "%(version)s."
            )
            % {
                "period": period_label(year, month),
                "version": report.form.version,
                "applying": applying.version,
            },
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
def report_withdraw(request, pk):
    """Take a submitted report back before the centre has reviewed it."""
    report = operator_report(request.user, pk)
    try:
        services.report_withdraw(report=report, user=request.user)
    except services.WorkflowError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _(
                "The report has been withdrawn and is a draft again: correct it and submit "
                "it once more."
            ),
        )
    return redirect("stats:report_edit", pk=report.pk)


@operator_required
@require_POST
def report_submit(request, pk):
    """Submit the figures as saved (after an Excel import, say) without editing them."""
    report = operator_report(request.user, pk)
    _submit(request, report)
    return redirect("stats:report_edit", pk=report.pk)


@operator_required
@require_safe
def report_pdf(request, pk):
    """The report as handed in, with its lines, figures, explanations, status and dates."""
    report = operator_report(request.user, pk)
    # The PDF is for the library's files: what it handed in, not a draft that may change.
    if not report.is_handed_in:
        raise Http404(_("Only a submitted report can be printed."))
    with translation.override(DOCUMENT_LANGUAGE):
        content = report_pdf_bytes(report_print_data(report))
    period = report.period
    name = f"report-{report.form.code}-v{report.form.version}-{period.year}-{period.month:02d}.pdf"
    response = download_response(content, filename=name, content_type=PDF)
    # Figures of one library, some not yet accepted: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
