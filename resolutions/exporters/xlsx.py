"""Resolutions as one Excel sheet, written in write-only mode so a whole archive streams."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from clubportal.xlsx import (
    Column,
    RowWriter,
    field_label,
    set_properties,
    setup_page,
    workbook_bytes,
)
from meetings.models import Meeting
from members.models import Organization

from ..models import Resolution

# Rows fetched (and organisations prefetched) per query: memory stays flat however many.
EXPORT_CHUNK_SIZE = 2000
# A plain list on each row: building a related manager per row cost a tenth of the export.
ORGANIZATIONS_ATTR = "export_organizations"


def resolution_export_queryset(queryset: QuerySet[Resolution]) -> QuerySet[Resolution]:
    """What each exported row needs: its meeting (without the long texts) and organisations."""
    return (
        queryset.select_related("meeting")
        .defer("meeting__preamble", "meeting__resolved_intro", "meeting__decisions_intro")
        .prefetch_related(
            Prefetch(
                "responsible_organizations",
                queryset=Organization.objects.only("pk", "short_name"),
                to_attr=ORGANIZATIONS_ATTR,
            )
        )
    )


def export_columns() -> list[Column]:
    # Widths are fixed up front: write-only mode writes them before the first row.
    return [
        Column(_("Meeting date"), width=12),
        Column(field_label(Resolution, "meeting"), width=32, wrap=True),
        Column(field_label(Meeting, "topic"), width=28, wrap=True),
        Column(field_label(Resolution, "section"), width=30),
        Column(field_label(Resolution, "number"), width=10),
        Column(field_label(Resolution, "kind"), width=22),
        Column(field_label(Resolution, "text"), width=70, wrap=True),
        Column(field_label(Resolution, "responsible_organizations"), width=28, wrap=True),
        Column(field_label(Resolution, "responsible_person"), width=24),
        Column(field_label(Resolution, "due_date"), width=12),
        Column(field_label(Resolution, "status"), width=14),
        Column(capfirst(_("overdue")), width=12),
        Column(_("Page on the portal"), width=26),
    ]


def resolutions_xlsx(
    resolutions: Iterable[Resolution], *, today: datetime.date | None = None
) -> bytes:
    """The given resolutions, one row each, as .xlsx bytes.

    The caller chooses and orders the rows (a selector); pass them through
    resolution_export_queryset(). A queryset is read with .iterator(chunk_size=…), so
    neither the rows nor the sheet are ever held whole.
    """
    if isinstance(resolutions, QuerySet):
        resolutions = resolutions.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    today = today or timezone.localdate()

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(capfirst(str(Resolution._meta.verbose_name_plural)))
    table = RowWriter(ws, export_columns())
    table.set_widths()
    setup_page(ws)
    table.header()

    # The same labels get_*_display() gives, looked up once instead of once per row.
    sections = {value: str(label) for value, label in Resolution.Section.choices}
    kinds = {value: str(label) for value, label in Resolution.Kind.choices}
    statuses = {value: str(label) for value, label in Resolution.Status.choices}
    yes, no = pgettext("overdue", "yes"), pgettext("overdue", "no")
    links: dict[int, str] = {}

    for resolution in resolutions:
        meeting = resolution.meeting
        link = links.get(meeting.pk)
        if link is None:
            link = links[meeting.pk] = reverse("meetings:detail", args=[meeting.slug])
        organizations = getattr(resolution, ORGANIZATIONS_ATTR, None)
        if organizations is None:  # rows that did not come through resolution_export_queryset
            organizations = resolution.responsible_organizations.all()
        due = resolution.due_date
        overdue = resolution.is_open and due is not None and due < today
        table.append(
            [
                meeting.date,
                meeting.title,
                meeting.topic,
                sections.get(resolution.section, resolution.section),
                resolution.number,
                kinds.get(resolution.kind, resolution.kind),
                resolution.text,
                "; ".join(o.short_name for o in organizations),
                resolution.responsible_person,
                due,
                statuses.get(resolution.status, resolution.status),
                yes if overdue else no,
                link,
            ]
        )
    table.finish()
    set_properties(wb, title=_("Items of the Club's minutes"))
    return workbook_bytes(wb)
