"""The club's year: /annual/ (the years), /annual/<year>/ and its PDF, Word file and workbook.

Public content only, for everyone alike (staff see no drafts here: it is the report the
regional centre pastes into its own). The rows come from chronicle.annual, the bytes from
chronicle/exporters/annual_*.py; every file is served by kernel.downloads with the content's
validators, which move with any public change and at local midnight (overdue decisions).
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from kernel.downloads import DOCX, PDF, XLSX, download_response, not_modified, validated
from kernel.pagecache import cached_public_page, content_validators
from kernel.validators import is_sane_year

from .annual import (
    AnnualReport,
    annual_report,
    annual_years,
    summary_sentences,
    uncovered_sentence,
)
from .exporters.annual_docx import annual_docx
from .exporters.annual_pdf import DOCUMENT_LANGUAGE, annual_pdf
from .exporters.annual_xlsx import annual_xlsx


@require_safe
@cached_public_page
def index(request):
    return render(request, "chronicle/annual/index.html", {"years": annual_years()})


@require_safe
@cached_public_page
def year_page(request, year):
    report = annual_report(year) if is_sane_year(year) else None
    if report is None:
        raise Http404
    if not report.has_data:
        # A plain sentence, not the site's «no such page»: the address is right, the data
        # does not reach that year.
        return render(
            request,
            "chronicle/annual/no_data.html",
            {"year": year, "years": annual_years()},
            status=404,
        )
    return render(
        request,
        "chronicle/annual/year.html",
        {
            "report": report,
            "summary": summary_sentences(report),
            "uncovered": uncovered_sentence(report),
        },
    )


def annual_file(request, year: int, write, *, suffix: str, content_type: str):
    """A file of the year: 404 for a year the data does not reach; else the bytes
    `write(report)` makes, 304 while nothing public changed that day.

    The validators come first: they hash the address with the content version, and a client
    holds them only from a 200 under the same version, when the year had data."""
    if not is_sane_year(year):
        raise Http404
    validators = content_validators(request, daily=True)
    if (unchanged := not_modified(request, validators)) is not None:
        return unchanged
    report = annual_report(year)
    if report is None or not report.has_data:
        raise Http404
    with translation.override(DOCUMENT_LANGUAGE):
        content = write(report)
    response = download_response(
        content, filename=f"itogi-{year}{suffix}", content_type=content_type
    )
    return validated(response, validators)


def _pdf(report: AnnualReport) -> bytes:
    return annual_pdf(report)[0]


def _docx(report: AnnualReport) -> bytes:
    return annual_docx(report)[0]


@require_safe
def year_pdf(request, year):
    return annual_file(request, year, _pdf, suffix=".pdf", content_type=PDF)


@require_safe
def year_docx(request, year):
    return annual_file(request, year, _docx, suffix=".docx", content_type=DOCX)


@require_safe
def year_xlsx(request, year):
    return annual_file(request, year, annual_xlsx, suffix=".xlsx", content_type=XLSX)
