"""Pages of the regional methodical centre: the board of reports, the review queue, reviewing
one report, and entering a report for a library that gave its figures by phone or on paper."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import collection, services
from ..access import centre_required
from ..exporters import period_label
from ..forms import BoardFilterForm, CentreReportForm, EntryStartForm, ReopenForm, ReturnForm
from ..models import FormTemplate, Report
from ..selectors import ReportState, form_codes
from .entry import report_form


@centre_required
@require_safe
def board(request):
    today = timezone.localdate()
    # One query for every approved version: the filter's forms and the months owed.
    versions = list(FormTemplate.objects.approved().order_by("code", "-version"))
    codes = form_codes(versions)
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    data.setdefault("form", codes[0][0] if codes else "")
    form = BoardFilterForm(data, form_codes=codes, today=today)
    if form.is_valid():
        choice = form.cleaned_data
        year, code = choice["year"], choice["form"] or (codes[0][0] if codes else "")
        municipality, show, month = choice["municipality"], choice["show"], choice["month"]
    else:
        year, code = today.year, codes[0][0] if codes else ""
        municipality, show, month = None, "", None
    grid = collection.board(
        year=year,
        form_code=code,
        municipality=municipality,
        show=show,
        month=month,
        today=today,
        versions=versions,
    )
    # The filter links keep the year, form and municipality chosen.
    base = request.GET.copy()
    for name in ("show", "month"):
        base.pop(name, None)
    base["year"], base["form"] = str(year), code
    return render(
        request,
        "stats/review/board.html",
        {
            "filter_form": form,
            "board": grid,
            "year": year,
            "code": code,
            "show": show,
            "filters": [
                (name, label, grid.counts[name], f"{base.urlencode()}&show={name}")
                for name, label in collection.SHOW_CHOICES
                if name
            ],
        },
    )


@centre_required
@require_safe
def queue(request):
    """Every report awaiting review, the one waiting longest first."""
    reports = list(collection.review_queue())
    return render(
        request,
        "stats/review/queue.html",
        {"reports": reports, "today": timezone.localdate()},
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
    transitions = list(report.transitions.select_related("user").order_by("at", "pk"))
    return render(
        request,
        "stats/review/report.html",
        {
            "report": report,
            "lines": state.lines(),
            "transitions": transitions,
            "changes": collection.changes_since_return(
                report, state.items, state.values, transitions
            ),
            "place": collection.queue_place(report),
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
                if status in Report.COUNTED
                else None
            ),
        },
    )


@centre_required
@require_safe
def report_review(request, pk):
    return _review_page(request, _report(pk))


def _report_name(report) -> str:
    return (
        f"{report.organization.short_name}, {period_label(report.period.year, report.period.month)}"
    )


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
            if report.is_counted and not form.is_valid():
                return _review_page(request, report, reopen_form=form)
            reason = form.data.get("reason", "")
            services.report_reopen(report=report, user=request.user, reason=reason)
            done = _("The report has been reopened and returned to the library.")
    except services.WorkflowError as refused:
        messages.error(request, refused.message)
        return redirect("stats:review_report", pk=report.pk)
    messages.success(request, done)
    if action in ("accept", "return"):
        # A decision taken, the reviewer goes on to the next report in the queue.
        report.refresh_from_db(fields=["status", "submitted_at"])
        following = collection.queue_place(report).next
        if following is not None:
            messages.info(
                request,
                _("Next in the review queue: %(report)s.") % {"report": _report_name(following)},
            )
            return redirect("stats:review_report", pk=following.pk)
    return redirect("stats:review_report", pk=report.pk)


# --- Entering a report for a library --------------------------------------------------------


@centre_required
@require_http_methods(["GET", "HEAD", "POST"])
def enter_start(request):
    """Choose the library system and month, then enter its figures (the board links here)."""
    codes = form_codes()
    if request.method == "POST":
        form = EntryStartForm(request.POST, form_codes=codes)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_open(
                    organization=data["organization"],
                    year=data["year"],
                    month=data["month"],
                    code=data["form"],
                )
            except services.WorkflowError as refused:
                form.add_error(None, refused.message)
            else:
                return redirect("stats:review_enter", pk=report.pk)
    else:
        initial = {k: v for k, v in request.GET.items() if k in EntryStartForm.base_fields}
        form = EntryStartForm(initial=initial, form_codes=codes)
    return render(request, "stats/review/enter_start.html", {"form": form})


def _render_entry(request, report, form, error=None):
    return render(
        request,
        "stats/review/enter.html",
        {"report": report, "form": form, "error": error},
    )


def _entry_form(state, report, data=None) -> CentreReportForm:
    form = report_form(state, report, data, form_class=CentreReportForm)
    form.initial.setdefault("entry_source", report.entry_source)
    return form


@centre_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_enter(request, pk):
    """The centre types in the library's figures; the report says so to both sides."""
    report = _report(pk)
    if not report.is_editable:
        messages.error(request, services.NOT_EDITABLE % {"status": report.get_status_display()})
        return redirect("stats:review_report", pk=report.pk)
    state = ReportState.of(report)
    if request.method != "POST":
        return _render_entry(request, report, _entry_form(state, report))
    form = _entry_form(state, report, request.POST)
    if not form.is_valid():
        error = _("Nothing was saved: correct the fields marked in red. What you typed is kept.")
        return _render_entry(request, report, form, error)
    source = form.cleaned_data["entry_source"]
    try:
        services.report_save_values(
            report=report,
            values=form.figures(),
            explanations=form.explanations(),
            user=request.user,
            expected_version=form.cleaned_data["version"],
            entry_source=source,
        )
    except services.WorkflowError as refused:
        return _render_entry(request, report, form, refused.message)
    if not form.submitting:
        messages.success(request, _("Draft saved."))
        return redirect("stats:review_enter", pk=report.pk)
    try:
        services.report_submit(
            report=report,
            user=request.user,
            on_behalf=True,
            comment=form.cleaned_data["entry_note"],
        )
    except services.WorkflowError as refused:
        messages.success(request, _("Draft saved."))
        messages.error(request, refused.message)
        return redirect("stats:review_enter", pk=report.pk)
    messages.success(
        request,
        _("The report has been submitted for the library; it now awaits review."),
    )
    return redirect("stats:review_report", pk=report.pk)
