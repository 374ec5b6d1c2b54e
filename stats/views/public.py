"""The public statistics dashboard at /stats/ and the summer season as PDF and workbook.

Accepted and locked reports only; the figures come from stats.region_figures (grouped queries),
the pictures from stats.charts, the season's PDF and workbook from stats.summer_note; a year's
figures as open data (CSV and JSON) from stats.open_data and stats.exporters.open_data.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kernel.downloads import (
    CSV,
    JSON,
    PDF,
    XLSX,
    Validators,
    download_response,
    not_modified,
    validated,
)
from kernel.links import absolute_url
from kernel.pagecache import cached_public_page, content_state, content_validators
from kernel.pdf import cached_pdf

from .. import open_data
from ..decision_figures import chart_marks, timeline_decisions
from ..exporters.open_data import figures_csv, figures_json
from ..region_figures import (
    DEFAULT_SORT,
    GROWTH_KEYS,
    MAX_YEAR,
    MEASURES,
    MIN_YEAR,
    SORT_KEYS,
    TABLE_COLUMNS,
    RegionFigures,
    region_figures,
)
from ..summer_note import chart_svgs, summer_pdf_html, summer_workbook

# The season's documents are Russian whatever the reader's interface language.
DOCUMENT_LANGUAGE = "ru"


def _year(raw: str | None) -> int | None:
    """The ?year= of the page, or None (the latest summer) for anything that is not a year."""
    try:
        year = int(raw or "")
    except ValueError:
        return None
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _sort(raw: str | None) -> str:
    key = (raw or "").removeprefix("-")
    return raw if key in SORT_KEYS else DEFAULT_SORT


def _sort_link(key: str, sort: str) -> dict:
    """The sort a column header's link asks for, and its aria-sort while it is in force."""
    if key == sort.removeprefix("-"):
        descending = sort.startswith("-")
        return {
            "next": key if descending else f"-{key}",
            "aria": "descending" if descending else "ascending",
        }
    # Names read best A→Z, figures largest first.
    return {"next": key if key == "name" else f"-{key}", "aria": ""}


def sort_headers(sort: str) -> dict:
    """The name header and each figure column of the municipality and organisation tables."""
    return {
        "name": _sort_link("name", sort),
        "columns": [{"column": c, **_sort_link(c.sort_key, sort)} for c in TABLE_COLUMNS],
    }


@require_safe
@cached_public_page
def overview(request):
    sort = _sort(request.GET.get("sort"))
    data = region_figures(year=_year(request.GET.get("year")), sort=sort)
    # The resolutions that name indicators, each beside the first summer it can have moved.
    decisions = timeline_decisions()
    season_rows = [
        (year, season, [d for d in decisions if d.first_since == year])
        for year, season in data.seasons.items()
        if data.year is not None and year <= data.year
    ]
    return render(
        request,
        "stats/overview.html",
        {
            "data": data,
            "measures": MEASURES,
            "growth_keys": GROWTH_KEYS,
            "charts": chart_svgs(data, marks=chart_marks(decisions)),
            "season_rows": season_rows,
            "decisions": decisions,
            "sort": sort,
            "headers": sort_headers(sort),
            "open_data_licence": open_data.LICENCE_NAME,
        },
    )


def _season_or_404(year: int) -> RegionFigures:
    data = region_figures(year=year) if MIN_YEAR <= year <= MAX_YEAR else None
    if data is None or not data.has_data:
        raise Http404(_("No accepted figures for the summer of %(year)s.") % {"year": year})
    return data


@require_safe
def summer_pdf(request, year):
    data = _season_or_404(year)
    with translation.override(DOCUMENT_LANGUAGE):
        html = summer_pdf_html(data)
    content, key = cached_pdf(html)
    validators = Validators(etag=f'"{key}"', last_modified=content_state().changed_at)
    response = not_modified(request, validators)
    if response is None:
        response = download_response(content, filename=f"leto-{year}.pdf", content_type=PDF)
    response = validated(response, validators)
    patch_cache_control(response, public=True)
    return response


@require_safe
def summer_xlsx(request, year):
    data = _season_or_404(year)
    validators = content_validators(request)
    if (unchanged := not_modified(request, validators)) is not None:
        return unchanged
    with translation.override(DOCUMENT_LANGUAGE):
        content = summer_workbook(data)
    response = download_response(content, filename=f"leto-{year}.xlsx", content_type=XLSX)
    return validated(response, validators)


OPEN_DATA_WRITERS = {"csv": (figures_csv, CSV), "json": (figures_json, JSON)}


@require_safe
def accepted_download(request, year, fmt):
    """A year's accepted figures, every month and indicator of every organisation."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(_("No accepted figures for %(year)s.") % {"year": year})
    validators = content_validators(request)
    if (unchanged := not_modified(request, validators)) is not None:
        return unchanged
    rows = list(open_data.accepted_figures(year=year))
    if not rows:
        raise Http404(_("No accepted figures for %(year)s.") % {"year": year})
    writer, content_type = OPEN_DATA_WRITERS[fmt]
    with translation.override(DOCUMENT_LANGUAGE):
        content = writer(
            rows,
            year=year,
            source=absolute_url(reverse("stats:overview")),
            data_date=open_data.data_date(year),
        )
    response = download_response(
        content, filename=f"accepted-{year}.{fmt}", content_type=content_type
    )
    response["Access-Control-Allow-Origin"] = "*"
    return validated(response, validators)
