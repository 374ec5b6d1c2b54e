"""A year's accepted figures as open data: CSV as Russian Excel opens it, and JSON.

The rows come from stats.open_data.accepted_figures(). The CSV is UTF-8 with a BOM (Excel
otherwise reads it as Windows-1251), `;`-separated (the list separator of a Russian Excel,
whose decimal comma a `,` would fight with), CRLF line ends, and starts with the source,
the licence and the date of the data above the table. The figures are whole numbers, so no
decimal separator is ever written. A text that Excel would take for a formula is guarded
with an apostrophe, as kernel.xlsx.writer guards a cell.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from kernel.dates import long_date
from kernel.xlsx.writer import needs_text_guard

from ..open_data import LICENCE_NAME, LICENCE_URL

CSV_DELIMITER = ";"
# The keys of each row of accepted_figures(), in the order of the columns.
FIELDS = (
    "year",
    "month",
    "organization",
    "municipality",
    "indicator_code",
    "indicator_name",
    "unit",
    "value",
)


def _headers() -> list[str]:
    return [
        _("Year"),
        _("Month"),
        _("Organisation"),
        _("Municipality"),
        _("Indicator code"),
        _("Indicator"),
        _("Unit"),
        _("Value"),
    ]


def _guarded(value: object) -> object:
    if isinstance(value, str) and needs_text_guard(value):
        return "'" + value
    return "" if value is None else value


def preamble(*, year: int, source: str, data_date: datetime.datetime | None) -> list[str]:
    """The lines above the table: what it is, whose, under which licence, as of when."""
    lines = [
        _("Accepted off-site service statistics of the libraries of Kuzbass, %(year)s")
        % {"year": year},
        _("Source: %(club)s, %(url)s") % {"club": settings.CLUB_NAME, "url": source},
        _("Licence: %(name)s, %(url)s") % {"name": LICENCE_NAME, "url": LICENCE_URL},
    ]
    if data_date is not None:
        lines.append(_("Data as of %(date)s") % {"date": long_date(data_date)})
    return lines


def figures_csv(
    rows: Iterable[dict], *, year: int, source: str, data_date: datetime.datetime | None
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    for line in preamble(year=year, source=source, data_date=data_date):
        writer.writerow([line])
    writer.writerow([])
    writer.writerow(_headers())
    for row in rows:
        writer.writerow([_guarded(row[key]) for key in FIELDS])
    return out.getvalue().encode("utf-8-sig")


def figures_json(
    rows: Iterable[dict], *, year: int, source: str, data_date: datetime.datetime | None
) -> bytes:
    document = {
        "title": preamble(year=year, source=source, data_date=None)[0],
        "source": source,
        "publisher": settings.CLUB_NAME,
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "year": year,
        "data_date": data_date.isoformat() if data_date else None,
        "fields": dict(zip(FIELDS, _headers(), strict=True)),
        "figures": [{key: row[key] for key in FIELDS} for row in rows],
    }
    # Compact: a year is some 9,000 figures, and indenting them doubled the time.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
