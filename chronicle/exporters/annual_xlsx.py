"""The club's year as a workbook (kernel.xlsx.writer: safe cells, the house style, numbers as
numbers and dates as dates, row heights, frozen headers, print titles): a sheet per table of
the report, each headed by the club and the report's title."""

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from kernel.dates import long_date
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

from ..annual import AnnualReport, admission_municipality, report_title, summary_sentences

TITLE_FONT = Font(name=FONT_NAME, bold=True, size=12)
DEMO_FONT = Font(name=FONT_NAME, bold=True, color="B02A37")
# The growth as +12,3 % (the cell holds the number 12.3), as the summer note writes it.
PERCENT_FORMAT = '+0.0" %";"−"0.0" %";0.0" %"'


def _spanning(ws: Worksheet, row: int, text: str, width: int, font: Font | None = None) -> None:
    style = {"font": font} if font is not None else {}
    put(ws, row, 1, text, alignment=WRAP_ALIGNMENT, **style)
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _sheet(
    ws: Worksheet,
    report: AnnualReport,
    subtitle: str,
    columns: list[Column],
    rows: list[list],
    *,
    notes: list[tuple[str, Font | None]] = (),
    percent: frozenset[int] = frozenset(),
) -> None:
    """The heading (club, title, what the sheet holds), the table under its frozen header,
    repeated on every printed page, and the page set up for A4."""
    width = len(columns)
    lines = [(settings.CLUB_NAME, TITLE_FONT), (report_title(report.year), TITLE_FONT)]
    lines += [(subtitle, None), *notes]
    for row, (text, font) in enumerate(lines, start=1):
        _spanning(ws, row, text, width, font)
    writer = RowWriter(ws, columns, start_row=len(lines) + 2)
    writer.set_widths()
    writer.header()
    for values in rows:
        writer.append(values)
    writer.finish()
    if percent and writer.last_row > writer.header_row:
        for cells in ws.iter_rows(min_row=writer.header_row + 1, max_row=writer.last_row):
            for index in percent:
                cells[index].number_format = PERCENT_FORMAT
    fit_row_heights(ws)
    setup_page(ws, title_columns=1)


def annual_xlsx(report: AnnualReport) -> bytes:
    year = report.year
    day = long_date(report.today)
    wb = Workbook()

    ws = wb.active
    ws.title = pgettext("sheet", "The year")
    _sheet(
        ws,
        report,
        " ".join(summary_sentences(report)),
        [Column(_("What"), width=52, wrap=True), Column(_("Number"), width=14)],
        [
            [_("Meetings held"), len(report.meetings)],
            [_("Members admitted"), len(report.admissions)],
            [_("Items of the minutes"), report.resolutions_count],
            [_("Of them, decisions to be carried out"), report.decisions_count],
            [_("Decisions overdue on %(date)s") % {"date": day}, len(report.overdue)],
            [_("Municipalities in the catalogue"), report.municipalities_total],
            [_("Of them, without a member of the Club"), len(report.uncovered)],
        ],
    )

    _sheet(
        wb.create_sheet(pgettext("sheet", "Meetings")),
        report,
        _("Meetings of %(year)s (published minutes)") % {"year": year},
        [
            Column(_("Date"), width=12),
            Column(_("Kind"), width=20, wrap=True),
            Column(_("Format"), width=12),
            Column(_("Topic"), width=44, wrap=True),
            Column(_("Host organisation"), width=30, wrap=True),
            Column(_("Items"), width=10),
        ],
        [
            [
                m.date,
                m.get_kind_display(),
                m.get_format_display(),
                m.topic or m.title,
                m.venue.short_name if m.venue else "",
                m.items,
            ]
            for m in report.meetings
        ],
    )

    _sheet(
        wb.create_sheet(pgettext("sheet", "Admitted")),
        report,
        _("Admitted to the Club in %(year)s") % {"year": year},
        [
            Column(_("Member"), width=34, wrap=True),
            Column(_("Organisation"), width=34, wrap=True),
            Column(_("Municipality"), width=30, wrap=True),
            Column(_("Minutes of"), width=12),
            Column(_("Item"), width=8),
        ],
        [
            [
                a.member.full_name,
                a.member.organization.short_name,
                admission_municipality(a),
                a.resolution.meeting.date,
                a.resolution.number,
            ]
            for a in report.admissions
        ],
    )

    _sheet(
        wb.create_sheet(pgettext("sheet", "Items")),
        report,
        _("Items of the minutes of %(year)s by kind") % {"year": year},
        [Column(_("Kind"), width=34, wrap=True), Column(_("Items"), width=12)],
        [[capfirst(t.label), t.count] for t in report.kinds],
    )

    _sheet(
        wb.create_sheet(pgettext("sheet", "Decisions")),
        report,
        _("Decisions of %(year)s by status on %(date)s") % {"year": year, "date": day},
        [Column(_("Status"), width=34, wrap=True), Column(_("Decisions"), width=12)],
        [[capfirst(t.label), t.count] for t in report.statuses],
    )

    _sheet(
        wb.create_sheet(pgettext("sheet", "Overdue")),
        report,
        _("Decisions of %(year)s overdue on %(date)s") % {"year": year, "date": day},
        [
            Column(_("Minutes of"), width=12),
            Column(_("Item"), width=8),
            Column(_("Decision"), width=60, wrap=True),
            Column(_("Due date"), width=12),
            Column(_("Responsible"), width=30, wrap=True),
        ],
        [
            [r.meeting.date, r.number, r.text, r.due_date, str(r.responsible)]
            for r in report.overdue
        ],
    )

    summer = report.summer
    notes = []
    if summer is None:
        notes.append(
            (_("There are no accepted figures for the summer of %(year)s.") % {"year": year}, None)
        )
    elif summer.demo:
        notes.append((_("Demonstration data."), DEMO_FONT))
    _sheet(
        wb.create_sheet(pgettext("sheet", "Summer")),
        report,
        _("Summer %(year)s (June–August)") % {"year": year},
        [
            Column(_("Indicator"), width=42, wrap=True),
            Column(str(year), width=12),
            Column(str(year - 1), width=12),
            Column(_("Growth, %"), width=12),
        ],
        [
            [
                str(measure.label),
                change.value,
                change.previous,
                None if change.growth is None else round(change.growth, 1),
            ]
            for measure, change in (summer.headline if summer else [])
        ],
        notes=notes,
        percent=frozenset({3}),
    )

    _sheet(
        wb.create_sheet(pgettext("sheet", "Municipalities")),
        report,
        _("Municipalities without a member of the Club on %(date)s")
        % {"date": long_date(min(report.year_end, report.today))},
        [Column(_("Municipality"), width=44, wrap=True)],
        [[name] for name in report.uncovered],
    )

    set_properties(wb, title=report_title(year))
    return workbook_bytes(wb)
