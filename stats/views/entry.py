"""Pages of a library operator: her organisation's reports, entering and submitting figures."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import services
from ..access import operator_report, operator_required
from ..checks import Finding
from ..forms import NewReportForm, ReportForm, explain_field
from ..models import Report
from ..selectors import form_items, last_year_values, report_values, reports_for_user


@dataclass
class ReportLine:
    """One line of a report as people read it: the figure, last year's, the findings."""

    code: str
    name: str
    unit: str
    section: str
    is_part: bool
    value: int | None
    last_year: int | None
    explanation: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def growth(self) -> float | None:
        """(current / previous − 1) × 100, only where the previous value is above zero."""
        if self.value is None or not self.last_year:
            return None
        return (self.value / self.last_year - 1) * 100

    @property
    def growth_display(self) -> str:
        growth = self.growth
        return "" if growth is None else f"{growth:+.0f} %".replace("-", "−")

    @property
    def has_hard(self) -> bool:
        return any(f.is_hard for f in self.findings)

    @property
    def needs_explanation(self) -> bool:
        return any(not f.is_hard for f in self.findings) and not self.explanation.strip()


def stored_findings(report: Report) -> dict[str, list[Finding]]:
    """The check results of the report's last save, by indicator code."""
    found: dict[str, list[Finding]] = {}
    for result in report.check_results.select_related("indicator").order_by("pk"):
        code = result.indicator.code
        found.setdefault(code, []).append(
            Finding(result.code, result.severity, code, result.message)
        )
    return found


@dataclass
class ReportState:
    items: list
    values: dict
    last_year: dict
    findings: dict[str, list[Finding]]

    @classmethod
    def of(cls, report: Report) -> "ReportState":
        return cls(
            items=form_items(report.form),
            values=report_values(report),
            last_year=last_year_values(report),
            findings=stored_findings(report),
        )

    @property
    def explained(self) -> set[str]:
        return {code for code, v in self.values.items() if v.explanation.strip()}

    def lines(self) -> list[ReportLine]:
        lines = []
        for item in self.items:
            indicator, stored = item.indicator, self.values.get(item.indicator.code)
            lines.append(
                ReportLine(
                    code=indicator.code,
                    name=indicator.name,
                    unit=indicator.unit,
                    section=item.section,
                    is_part=indicator.parent_id is not None,
                    value=stored.value if stored else None,
                    last_year=self.last_year.get(indicator.code),
                    explanation=stored.explanation if stored else "",
                    findings=self.findings.get(indicator.code, []),
                )
            )
        return lines

    def form(self, report: Report, data=None) -> ReportForm:
        initial = {"version": report.version}
        for code, stored in self.values.items():
            initial[code] = stored.value
            if stored.explanation:
                initial[explain_field(code)] = stored.explanation
        return ReportForm(
            data,
            initial=initial,
            items=self.items,
            last_year=self.last_year,
            # The findings belong to the saved figures: beside figures just typed (and
            # refused) they would mislead.
            findings=self.findings if data is None else {},
            explained=self.explained,
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
        return _render_report(request, report, state, state.form(report))

    form = state.form(report, request.POST)
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
