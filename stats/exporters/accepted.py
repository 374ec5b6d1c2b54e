"""All accepted figures as one sheet: what the centre files and analyses elsewhere."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kernel.xlsx.writer import (
    Column,
    RowWriter,
    field_label,
    set_properties,
    setup_page,
    workbook_bytes,
)
from members.models import Organization

from ..models import FormItem, Report, ReportingPeriod, Value

EXPORT_CHUNK_SIZE = 2000


def accepted_values_rows() -> QuerySet:
    """Every accepted (or closed) non-empty figure as a tuple, in the order of the forms.

    (organisation, municipality, year, month, code, name, unit, value, the version of the
    form it was reported on, the operator's explanation); read it with .iterator() so a
    whole archive never sits in memory.
    """
    item_order = FormItem.objects.filter(
        form=OuterRef("report__form"), indicator=OuterRef("indicator")
    ).values("order")[:1]
    return (
        Value.objects.filter(report__status__in=Report.COUNTED, value__isnull=False)
        .annotate(item_order=Subquery(item_order))
        .order_by(
            "report__period__year",
            "report__period__month",
            "report__organization__short_name",
            "item_order",
            "indicator__code",
        )
        .values_list(
            "report__organization__short_name",
            "report__organization__municipality__name",
            "report__period__year",
            "report__period__month",
            "indicator__code",
            "indicator__name",
            "indicator__unit",
            "value",
            "report__form__version",
            "explanation",
        )
    )


def accepted_values_columns() -> list[Column]:
    return [
        Column(field_label(Report, "organization"), width=30, wrap=True),
        Column(field_label(Organization, "municipality"), width=30, wrap=True),
        Column(field_label(ReportingPeriod, "year"), width=8),
        Column(field_label(ReportingPeriod, "month"), width=8),
        Column(_("Indicator code"), width=24),
        Column(_("Indicator"), width=60, wrap=True),
        Column(_("Unit"), width=10),
        Column(field_label(Value, "value"), width=12),
        Column(_("Form version"), width=10),
        Column(field_label(Value, "explanation"), width=50, wrap=True),
    ]


def accepted_values_xlsx(rows: Iterable[tuple]) -> bytes:
    """The rows of accepted_values_rows() as one sheet, written in write-only mode."""
    if isinstance(rows, QuerySet):
        rows = rows.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Accepted figures"))
    table = RowWriter(ws, accepted_values_columns())
    table.set_widths()
    # Printed on two pages across: each starts with the organisation.
    setup_page(ws, title_columns=1)
    table.header()
    for row in rows:
        table.append(row)
    table.finish()
    set_properties(wb, title=_("Accepted statistics figures"))
    return workbook_bytes(wb)
