"""Excel in and out: a report's template, its upload, and the centre's exports."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kernel.downloads import XLSX, download_response
from kernel.validators import is_sane_year
from kernel.xlsx.upload import MAX_UPLOAD_BYTES

from .. import importer
from ..access import centre_required, operator_report, operator_required
from ..exporters import accepted, summary, template
from ..models import Report


# Kept beside its only view while stats/forms.py is being written in a parallel change.
class WorkbookUploadForm(forms.Form):
    # Empty files pass the form: the importer names them, and logs the attempt.
    file = forms.FileField(
        label=gettext_lazy("Filled-in workbook (.xlsx)"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(
            attrs={"accept": f".xlsx,{XLSX}"},
        ),
    )


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = download_response(content, filename=filename, content_type=XLSX)
    # Unpublished figures: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _template_response(request, report: Report) -> HttpResponse:
    blank = request.GET.get("blank") == "1"
    content = template.report_template_xlsx(template.report_template_data(report), blank=blank)
    period = report.period
    name = f"{report.form.code}-v{report.form.version}-{period.year}-{period.month:02d}"
    return xlsx_response(content, f"report-{name}-{report.organization_id}.xlsx")


@require_safe
@operator_required
def report_template(request, pk):
    return _template_response(request, operator_report(request.user, pk))


@require_safe
@centre_required
def review_template(request, pk):
    report = get_object_or_404(
        Report.objects.select_related("organization", "form", "period"), pk=pk
    )
    return _template_response(request, report)


def _pending_key(report: Report) -> str:
    return f"stats-import-pending-{report.pk}"


def _announce(request, result) -> None:
    """The messages of a landed import: what was saved, then what the checks found."""
    messages.success(
        request,
        _("The workbook was imported. Values saved: %(count)s.") % {"count": result.values_count},
    )
    if result.hard_findings:
        messages.error(
            request,
            _(
                "The checks found errors (%(count)s): the figures are saved as a draft; "
                "correct them before submitting the report."
            )
            % {"count": len(result.hard_findings)},
        )
    if result.warnings:
        messages.warning(
            request,
            _(
                "The checks found warnings (%(count)s): explain each of them "
                "before submitting the report."
            )
            % {"count": len(result.warnings)},
        )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@operator_required
def report_import(request, pk):
    report = operator_report(request.user, pk)
    errors, pending = [], None
    form = WorkbookUploadForm()
    if request.method == "POST" and ("confirm_clear" in request.POST or "cancel" in request.POST):
        # The second step of an upload that would empty stored figures.
        held = importer.PendingImport.from_session(request.session.pop(_pending_key(report), None))
        if held is None or held.report != report.pk:
            messages.error(request, _("Nothing awaits confirmation: upload the workbook again."))
            return redirect("stats:report_import", pk=report.pk)
        if "cancel" in request.POST:
            messages.info(request, _("The upload was cancelled; nothing was changed."))
            return redirect("stats:report_edit", pk=report.pk)
        result = importer.report_import_confirmed(report=report, pending=held, user=request.user)
        if result.ok:
            _announce(request, result)
            return redirect("stats:report_edit", pk=report.pk)
        errors = result.errors
    elif request.method == "POST":
        form = WorkbookUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = importer.report_import(
                report=report, fileobj=upload, filename=upload.name, user=request.user
            )
            if result.pending is not None:
                request.session[_pending_key(report)] = result.pending.as_session()
                pending = result.pending
            elif result.ok:
                _announce(request, result)
                return redirect("stats:report_edit", pk=report.pk)
            else:
                errors = result.errors
    return render(
        request,
        "stats/excel/import.html",
        {
            "report": report,
            "form": form,
            "errors": errors,
            "pending": pending,
            "imports": report.imports.select_related("user")[:10],
            "max_size": MAX_UPLOAD_BYTES,
        },
    )


@require_safe
@centre_required
def export_accepted(request):
    content = accepted.accepted_values_xlsx(accepted.accepted_values_rows())
    return xlsx_response(content, "accepted-figures.xlsx")


@require_safe
@centre_required
def export_summary(request, year):
    if not is_sane_year(year):
        raise Http404(_("No accepted figures for %(year)s.") % {"year": year})
    content = summary.summary_xlsx(year, summary.summary_data(year))
    return xlsx_response(content, f"summary-{year}.xlsx")
