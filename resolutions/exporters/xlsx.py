"""Resolutions as one Excel sheet, read as plain rows and streamed so a whole archive fits."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kernel.links import absolute_url
from kernel.xlsx.stream import StreamingTable
from kernel.xlsx.writer import Column, field_label
from meetings.models import Meeting

from ..models import LIBRARY_SYSTEMS_NAME, Resolution

# Rows read (and their organisations looked up) per query: memory stays flat however many.
EXPORT_CHUNK_SIZE = 2000
# What a row needs, read as tuples: building model instances cost more than writing the cells.
ROW_FIELDS = (
    "pk",
    "meeting__date",
    "meeting__title",
    "meeting__topic",
    "meeting__slug",
    "section",
    "number",
    "kind",
    "text",
    "to_library_systems",
    "responsible_person",
    "due_date",
    "status",
)
ExportRow = tuple  # the values of ROW_FIELDS, in that order


def export_columns() -> list[Column]:
    # Widths are fixed up front: rows are written as they come, nothing is measured after.
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
        # Wide enough for the site's address and a meeting's page: the link stays whole.
        Column(_("Page on the portal"), width=_link_width()),
    ]


def _link_width() -> int:
    sample = absolute_url(reverse("meetings:detail", args=["2021-06-23-2"]))
    return min(max(len(sample) + 2, 26), 60)


def export_chunks(
    resolutions: QuerySet[Resolution] | Iterable[Resolution],
) -> Iterator[tuple[list[ExportRow], dict[int, str]]]:
    """The rows in the given order, a chunk at a time, with each chunk's organisations.

    A queryset (filtered and ordered as the caller likes) is read as tuples of ROW_FIELDS
    through .iterator(chunk_size=…); other resolutions are read again by primary key, a
    chunk at a time, in their own order. Each chunk costs one more query: the short names
    of its resolutions' responsible organisations, joined by "; ".
    """
    if isinstance(resolutions, QuerySet):
        rows = (
            resolutions.prefetch_related(None)
            .values_list(*ROW_FIELDS)
            .iterator(chunk_size=EXPORT_CHUNK_SIZE)
        )
        chunks = _chunks(rows)
    else:
        chunks = (_read_again(chunk) for chunk in _chunks(resolutions))
    for chunk in chunks:
        if chunk:
            yield chunk, responsible_organizations([row[0] for row in chunk])


def _chunks(items: Iterable) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, EXPORT_CHUNK_SIZE)):
        yield chunk


def _read_again(resolutions: list[Resolution]) -> list[ExportRow]:
    found = {
        row[0]: row
        for row in Resolution.objects.filter(pk__in=[r.pk for r in resolutions])
        .order_by()
        .values_list(*ROW_FIELDS)
    }
    return [found[r.pk] for r in resolutions if r.pk in found]


def responsible_organizations(resolution_ids: list[int]) -> dict[int, str]:
    """Each resolution's responsible organisations, short names in their order, "; "-joined."""
    through = Resolution.responsible_organizations.through
    names: defaultdict[int, list[str]] = defaultdict(list)
    pairs = (
        through.objects.filter(resolution_id__in=resolution_ids)
        .order_by("organization__short_name", "organization_id")
        .values_list("resolution_id", "organization__short_name")
    )
    for resolution_id, short_name in pairs:
        names[resolution_id].append(short_name)
    return {resolution_id: "; ".join(found) for resolution_id, found in names.items()}


def responsible_names(group: str, organizations: str) -> str:
    """The group (the region's library systems) before the named organisations, as
    Resolution.responsible names them."""
    return "; ".join(name for name in (group, organizations) if name)


def resolutions_xlsx(
    resolutions: QuerySet[Resolution] | Iterable[Resolution],
    *,
    today: datetime.date | None = None,
) -> bytes:
    """The given resolutions, one row each, as .xlsx bytes.

    The caller chooses and orders the rows (a selector) and passes the queryset as it is.
    Neither the rows nor the sheet are ever held whole: see export_chunks().
    """
    today = today or timezone.localdate()
    # The same labels get_*_display() gives, looked up once instead of once per row.
    sections = {value: str(label) for value, label in Resolution.Section.choices}
    kinds = {value: str(label) for value, label in Resolution.Kind.choices}
    statuses = {value: str(label) for value, label in Resolution.Status.choices}
    # Resolution.is_open decides which kinds and statuses are still open; asked once here.
    open_pairs = {
        (kind, status)
        for kind in Resolution.Kind.values
        for status in Resolution.Status.values
        if Resolution(kind=kind, status=status).is_open
    }
    yes, no = pgettext("overdue", "yes"), pgettext("overdue", "no")
    links: dict[str, str] = {}
    library_systems = str(LIBRARY_SYSTEMS_NAME)

    with StreamingTable(
        export_columns(),
        sheet_name=capfirst(str(Resolution._meta.verbose_name_plural)),
        title=_("Items of the Club's minutes"),
        # Too wide for one page: each printed page across starts with the meeting's date.
        title_columns=1,
    ) as table:
        append = table.append
        for chunk, organizations in export_chunks(resolutions):
            for (
                pk,
                date,
                title,
                topic,
                slug,
                section,
                number,
                kind,
                text,
                to_library_systems,
                person,
                due,
                status,
            ) in chunk:
                link = links.get(slug)
                if link is None:
                    link = links[slug] = absolute_url(reverse("meetings:detail", args=[slug]))
                overdue = due is not None and due < today and (kind, status) in open_pairs
                append(
                    (
                        date,
                        title,
                        topic,
                        sections.get(section, section),
                        number,
                        kinds.get(kind, kind),
                        text,
                        responsible_names(
                            library_systems if to_library_systems else "",
                            organizations.get(pk, ""),
                        ),
                        person,
                        due,
                        statuses.get(status, status),
                        yes if overdue else no,
                        link,
                    )
                )
        return table.finish()
