"""The summer season as a statistical note (print HTML for the PDF) and as a workbook.

Both hold the same numbers as /stats/ (stats.region_figures) and its charts (stats.charts);
nothing typed by users but organisation and municipality names, escaped. The views in
stats/views/public.py serve them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from kernel.xlsx.writer import (
    FONT_NAME,
    WRAP_ALIGNMENT,
    Column,
    RowWriter,
    fit_row_heights,
    put,
    set_properties,
    setup_page,
    workbook_bytes,
)

from . import charts
from .region_figures import GROWTH_KEYS, MEASURES, TABLE_COLUMNS, RegionFigures, Row


def chart_svgs(data: RegionFigures, *, marks: Sequence[tuple[int, str]] = ()) -> dict[str, str]:
    """The two charts of a dashboard, drawn (or taken from the cache) as inline SVG; the
    marks (stats.decision_figures.chart_marks) go on the seasons' chart."""
    if not data.has_data:
        return {}
    years = [year for year in sorted(data.seasons) if year <= data.year]
    seasons = [data.seasons[year] for year in years]
    return {
        "seasons": charts.seasons_chart(
            years,
            [s.values["outdoor_events"] for s in seasons],
            [s.values["outdoor_attendance"] for s in seasons],
            marks=marks,
        ),
        "months": charts.months_chart(
            data.year,
            [m.name for m in data.months],
            [m.values["events"] for m in data.months],
            [m.values["outdoor_events"] for m in data.months],
        ),
    }


def season_title(year: int) -> str:
    return _("Summer season %(year)s: off-site service of the libraries of Kuzbass") % {
        "year": year
    }


def summer_pdf_html(data: RegionFigures) -> str:
    """The print HTML of a season: the dashboard's tables and charts, nothing typed by users
    but organisation and municipality names (escaped)."""
    context = {
        "club_name": settings.CLUB_NAME,
        # templates/pdf/base.html prints a document's requisites from `meeting`: the date of
        # the note (the day its last figure was accepted) and its heading.
        "meeting": {
            "date": data.as_of or timezone.localdate(),
            "title": season_title(data.year),
        },
        "data": data,
        "measures": MEASURES,
        "growth_keys": GROWTH_KEYS,
        "charts": chart_svgs(data),
        "table_columns": TABLE_COLUMNS,
        "row_tables": [
            {
                "title": _("Summer %(year)s by municipality") % {"year": data.year},
                "name_label": _("Municipality"),
                "rows": data.municipalities,
            },
            {
                "title": _("Summer %(year)s by library system") % {"year": data.year},
                "name_label": _("Library system"),
                "rows": data.organizations,
                "show_municipality": True,
            },
        ],
    }
    return render_to_string("pdf/summer.html", context)


TITLE_FONT = Font(name=FONT_NAME, bold=True, size=12)
NOTE_FONT = Font(name=FONT_NAME, italic=True, size=10)
DEMO_FONT = Font(name=FONT_NAME, bold=True, color="B02A37")
PERCENT_FORMAT = '+0.0" %";"−"0.0" %";0.0" %"'


def _percent(change) -> float | None:
    rate = change.growth
    return None if rate is None else round(rate, 1)


def _heading(ws: Worksheet, data: RegionFigures, subtitle: str, width: int) -> int:
    """Club, title, what the sheet shows and, for demo figures, the label; the next row.

    Kept short, since it stays in view above the table's header: the method note comes
    after the table."""
    lines = [(settings.CLUB_NAME, TITLE_FONT), (season_title(data.year), TITLE_FONT)]
    lines.append((subtitle, None))
    if data.demo:
        lines.append((demo_label(), DEMO_FONT))
    for row, (text, font) in enumerate(lines, start=1):
        _spanning(ws, row, text, width, font)
    return len(lines) + 2


def _spanning(ws: Worksheet, row: int, text: str, width: int, font: Font | None) -> None:
    # Wrapped across the table's width: a long line would run past the printed page.
    style = {"font": font} if font is not None else {}
    put(ws, row, 1, text, alignment=WRAP_ALIGNMENT, **style)
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def demo_label() -> str:
    return _(
        "Demonstration data: these figures were made up to show how the dashboard works and "
        "are not the libraries' real statistics."
    )


def method_note() -> str:
    return _(
        "Accepted reports only. Summer: June–August. A flow is the sum of the months, a stock "
        "(number of sites) the last summer month each organisation reported. Growth against "
        "the year before is shown only where that year's figure is above zero, and compares "
        "only the library systems that reported the whole summer (all three months) in both "
        "years."
    )


def _measure_columns() -> tuple[list[Column], set[int]]:
    """A column per measure and a growth column after each of GROWTH_KEYS; the growth
    columns' positions (counted from 0)."""
    columns, percent = [], set()
    for measure in MEASURES:
        columns.append(Column(str(measure.label), width=16, wrap=True))
        if measure.key in GROWTH_KEYS:
            percent.add(len(columns))
            columns.append(Column(_("Growth, %"), width=10, wrap=True))
    return columns, percent


def _measure_cells(row: Row) -> list:
    cells = []
    for measure in MEASURES:
        change = row.cells[measure.key]
        cells.append(change.value)
        if measure.key in GROWTH_KEYS:
            cells.append(_percent(change))
    return cells


def _table(
    ws: Worksheet,
    data: RegionFigures,
    subtitle: str,
    columns: list[Column],
    rows: list[list],
    *,
    percent: set[int] = frozenset(),
) -> None:
    """The heading, a table with its frozen header, filter and print setup, the method note
    below; growth columns shown as +1,5 %."""
    writer = RowWriter(ws, columns, start_row=_heading(ws, data, subtitle, len(columns)))
    writer.set_widths()
    writer.header()
    for values in rows:
        writer.append(values)
    writer.finish()
    if percent and writer.last_row > writer.header_row:
        for row in ws.iter_rows(min_row=writer.header_row + 1, max_row=writer.last_row):
            for index in percent:
                row[index].number_format = PERCENT_FORMAT
    _spanning(ws, writer.last_row + 2, method_note(), len(columns), NOTE_FONT)
    fit_row_heights(ws)
    setup_page(ws, title_columns=1)


def summer_workbook(data: RegionFigures) -> bytes:
    """The season's figures as .xlsx: region, years, municipalities, organisations, months."""
    wb = Workbook()
    year = data.year

    ws = wb.active
    ws.title = _("Region")
    subtitle = _("Kuzbass, the summer of %(year)s and the two before") % {"year": year}
    columns = [Column(_("Indicator"), width=42, wrap=True)]
    columns += [Column(str(y), width=12) for y in data.region_years]
    columns += [
        Column(_("Growth in %(year)s, %%") % {"year": y}, width=14, wrap=True)
        for y in data.region_years[1:]
    ]
    _table(
        ws,
        data,
        subtitle,
        columns,
        [
            [
                str(line.measure.label),
                *line.values,
                *(_percent(change) for change in line.changes),
            ]
            for line in data.region
        ],
        percent={len(columns) - 2, len(columns) - 1},
    )

    ws = wb.create_sheet(_("By year"))
    columns = [Column(_("Year"), width=8)]
    columns += [Column(str(m.label), width=16, wrap=True) for m in MEASURES]
    columns.append(Column(_("Library systems reported"), width=14, wrap=True))
    columns.append(Column(_("Of them, the whole summer"), width=14, wrap=True))
    _table(
        ws,
        data,
        _("Kuzbass, every summer season"),
        columns,
        [
            [
                s.year,
                *(s.values[m.key] for m in MEASURES),
                s.organizations,
                s.complete_organizations,
            ]
            for s in (data.seasons[y] for y in sorted(data.seasons))
        ],
    )

    measure_columns, percent = _measure_columns()
    ws = wb.create_sheet(_("Municipalities"))
    _table(
        ws,
        data,
        _("Summer %(year)s by municipality") % {"year": year},
        [Column(_("Municipality"), width=34, wrap=True), *measure_columns],
        [[r.name, *_measure_cells(r)] for r in data.municipalities],
        percent={i + 1 for i in percent},
    )

    ws = wb.create_sheet(_("Library systems"))
    _table(
        ws,
        data,
        _("Summer %(year)s by library system") % {"year": year},
        [
            Column(_("Library system"), width=34, wrap=True),
            Column(_("Municipality"), width=30, wrap=True),
            Column(_("Summer months accepted"), width=12, wrap=True),
            *measure_columns,
        ],
        [[r.name, r.municipality, r.months, *_measure_cells(r)] for r in data.organizations],
        percent={i + 3 for i in percent},
    )

    ws = wb.create_sheet(_("Months"))
    columns = [Column(_("Month"), width=12)]
    columns += [Column(str(m.label), width=16, wrap=True) for m in MEASURES]
    _table(
        ws,
        data,
        _("Months of %(year)s (a stock: the month's own figure)") % {"year": year},
        columns,
        [[m.name, *(m.values[k.key] for k in MEASURES)] for m in data.months],
    )

    set_properties(wb, title=season_title(year))
    return workbook_bytes(wb)
