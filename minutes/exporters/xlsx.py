"""The minutes of one meeting as an Excel workbook: the minutes' heading and text, their items,
the agenda, attendance, admissions."""

from __future__ import annotations

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from kernel.dates import long_date
from kernel.xlsx.writer import (
    BODY_FONT,
    FONT_NAME,
    TOP_ALIGNMENT,
    WRAP_ALIGNMENT,
    Column,
    RowWriter,
    field_label,
    fit_column_widths,
    fit_row_heights,
    number_or_text,
    put,
    set_properties,
    setup_page,
    workbook_bytes,
)
from meetings.models import AgendaItem, Attendance, Meeting
from members.models import Member, Organization
from resolutions.models import Admission, Resolution

from ..selectors import Minutes

CLUB_FONT = Font(name=FONT_NAME, bold=True, size=14)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=12)
LABEL_FONT = Font(name=FONT_NAME, bold=True)
HEADING_ALIGNMENT = Alignment(wrap_text=True, vertical="top", horizontal="left")
# The heading sheet: labels, then the text they introduce; a portrait page wide in all.
LABEL_WIDTH = 32
TEXT_WIDTH = 80


def minutes_title(meeting: Meeting) -> str:
    date = long_date(meeting.date)
    if meeting.number:
        return _("Minutes No. %(number)s of %(date)s: %(title)s") % {
            "number": meeting.number,
            "date": date,
            "title": meeting.title,
        }
    return _("Minutes of %(date)s: %(title)s") % {"date": date, "title": meeting.title}


def minutes_xlsx(minutes: Minutes) -> bytes:
    """The whole minutes as .xlsx bytes; members' e-mail and phone are never written."""
    wb = Workbook()
    _heading_sheet(wb.active, minutes)
    _items_sheet(wb.create_sheet(_("Items of the minutes")), minutes)
    _agenda_sheet(wb.create_sheet(_("Agenda")), minutes.agenda)
    _attendance_sheet(wb.create_sheet(_("Present")), minutes.attendances)
    _admitted_sheet(wb.create_sheet(_("Admitted to the club")), minutes.admitted)
    set_properties(wb, title=minutes_title(minutes.meeting))
    return workbook_bytes(wb)


def _resolution_columns() -> list[Column]:
    return [
        Column(field_label(Resolution, "section"), wrap=True),
        Column(field_label(Resolution, "number")),
        Column(field_label(Resolution, "kind"), wrap=True),
        Column(field_label(Resolution, "text"), wrap=True),
        Column(field_label(Resolution, "responsible_organizations"), wrap=True),
        Column(field_label(Resolution, "responsible_person"), wrap=True),
        Column(field_label(Resolution, "due_date")),
        Column(field_label(Resolution, "status"), wrap=True),
    ]


def _heading_sheet(ws: Worksheet, minutes: Minutes) -> None:
    ws.title = _("Minutes")
    _heading(ws, minutes, width=2)
    ws.column_dimensions["A"].width = LABEL_WIDTH
    ws.column_dimensions["B"].width = TEXT_WIDTH
    fit_row_heights(ws)
    setup_page(ws)


def _items_sheet(ws: Worksheet, minutes: Minutes) -> None:
    # The items apart from the heading above them, so that their header row can stay in
    # view while they scroll: frozen under a heading a screen tall, it would leave no room.
    table = RowWriter(ws, _resolution_columns())
    header_row = table.header()
    for section in minutes.sections:
        for item in section.items:
            table.append(
                [
                    section.title,
                    item.number,
                    item.get_kind_display(),
                    item.text,
                    "; ".join(item.responsible.organizations),
                    item.responsible.person,
                    item.due_date,
                    item.get_status_display(),
                ]
            )
    if table.last_row == header_row:
        _nothing_recorded(ws, _("These minutes have no items yet."))
        return
    _finish_table(ws, table, header_row)


def _heading(ws: Worksheet, minutes: Minutes, *, width: int) -> int:
    """Title block, the meeting's details, preamble and each section's opening sentence,
    as the printed minutes have them, `width` columns wide; returns the next row."""
    meeting = minutes.meeting
    row = 1

    def spanning(text: str, font: Font, first_column: int = 1) -> None:
        # Long text spans the table's width, as on the printed page.
        put(ws, row, first_column, text, font=font, alignment=HEADING_ALIGNMENT)
        if first_column < width:
            ws.merge_cells(start_row=row, start_column=first_column, end_row=row, end_column=width)

    lines = [(settings.CLUB_NAME, CLUB_FONT), (meeting.title, TITLE_FONT)]
    if meeting.topic:
        lines.append((_("Topic: «%(topic)s»") % {"topic": meeting.topic}, BODY_FONT))
    lines.append((long_date(meeting.date), BODY_FONT))
    for text, font in lines:
        spanning(text, font)
        row += 1
    row += 1

    details: list[tuple[str, object]] = [
        (field_label(Meeting, "date"), meeting.date),  # a real date cell, beside the words above
        # «1» is the number 1 (it sorts and sums); «12-а» stays the text it is.
        (field_label(Meeting, "number"), number_or_text(meeting.number)),
        (field_label(Meeting, "kind"), meeting.get_kind_display()),
        (field_label(Meeting, "format"), meeting.get_format_display()),
        (field_label(Meeting, "venue"), meeting.venue.display_full_name if meeting.venue else ""),
        (field_label(Meeting, "address"), meeting.address),
        (field_label(Meeting, "link"), meeting.link),
        (field_label(Meeting, "chair"), meeting.chair.full_name if meeting.chair else ""),
        (
            field_label(Meeting, "secretary"),
            meeting.secretary.full_name if meeting.secretary else "",
        ),
    ]
    for name, value in details:
        if value in ("", None):
            continue
        put(ws, row, 1, name, font=LABEL_FONT, alignment=TOP_ALIGNMENT)
        if isinstance(value, str):
            spanning(value, BODY_FONT, first_column=2)
        else:
            put(ws, row, 2, value, alignment=HEADING_ALIGNMENT)
            if width > 2:
                ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        row += 1
    row += 1

    if meeting.preamble:
        spanning(meeting.preamble, BODY_FONT)
        row += 2

    # Each section's opening sentence: the typed phrase that names the section («…постановили:»)
    # alone, another beside the section's fixed name (never the name twice).
    for section in minutes.sections:
        if section.intro_is_heading:
            spanning(section.heading, BODY_FONT)
            row += 1
        elif section.lead:
            put(ws, row, 1, section.title, font=LABEL_FONT, alignment=WRAP_ALIGNMENT)
            spanning(section.lead, BODY_FONT, first_column=2)
            row += 1
    return row + 1


def _nothing_recorded(ws: Worksheet, text: str) -> None:
    """A sheet with nothing to list says so in words, instead of a header over no rows."""
    ws.delete_rows(1, ws.max_row)
    ws.freeze_panes = None
    put(ws, 1, 1, text, alignment=HEADING_ALIGNMENT)
    ws.column_dimensions["A"].width = TEXT_WIDTH
    fit_row_heights(ws)
    setup_page(ws, landscape=False)


def _finish_table(ws: Worksheet, table: RowWriter, header_row: int) -> None:
    table.finish()
    fit_column_widths(ws, header_rows=[header_row])
    # After the widths: neither Excel nor LibreOffice sizes rows of wrapped or merged text.
    fit_row_heights(ws)
    setup_page(ws)


def _agenda_sheet(ws: Worksheet, agenda: list[AgendaItem]) -> None:
    table = RowWriter(
        ws,
        [
            Column(field_label(AgendaItem, "order")),
            Column(field_label(AgendaItem, "title"), wrap=True),
            Column(field_label(AgendaItem, "speakers"), wrap=True),
            Column(field_label(AgendaItem, "summary"), wrap=True),
        ],
    )
    header_row = table.header()
    for item in agenda:
        table.append([item.order, item.title, item.speakers, item.summary])
    if not agenda:
        _nothing_recorded(ws, _("No agenda was entered for this meeting."))
        return
    _finish_table(ws, table, header_row)


def _attendance_sheet(ws: Worksheet, attendances: list[Attendance]) -> None:
    # Name, organisation and role only: e-mail and phone are private (never public files).
    table = RowWriter(
        ws,
        [
            Column(capfirst(_("full name")), wrap=True),
            Column(field_label(Attendance, "organization"), wrap=True),
            Column(field_label(Attendance, "role"), wrap=True),
        ],
    )
    header_row = table.header()
    for attendance in attendances:
        organization = attendance.display_organization
        table.append(
            [
                attendance.display_name,
                organization.short_name if organization else "",
                attendance.get_role_display(),
            ]
        )
    if not attendances:
        _nothing_recorded(ws, _("Attendance was not recorded for this meeting."))
        return
    _finish_table(ws, table, header_row)


def _admitted_sheet(ws: Worksheet, admitted: list) -> None:
    table = RowWriter(
        ws,
        [
            Column(capfirst(_("full name")), wrap=True),
            Column(field_label(Member, "organization"), wrap=True),
            Column(field_label(Organization, "municipality"), wrap=True),
            Column(field_label(Admission, "resolution")),
        ],
    )
    header_row = table.header()
    for admission in admitted:
        member = admission.member
        organization = member.organization
        municipality = organization.municipality if organization else None
        table.append(
            [
                member.full_name,
                organization.short_name if organization else "",
                municipality.name if municipality else "",
                admission.resolution.number,
            ]
        )
    if not admitted:
        _nothing_recorded(ws, _("Nobody was admitted to the Club at this meeting."))
        return
    _finish_table(ws, table, header_row)
