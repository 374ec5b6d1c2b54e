"""Statistics as Excel workbooks, one module per export: a report's template (template.py),
all accepted figures (accepted.py), a year's summary (summary.py).

Each export has a query that chooses the rows and a writer that turns them into bytes: the
views call one, then the other. The marks every export and the import share are here.
"""

import datetime

from django.utils import formats
from openpyxl.styles import Font

from kernel.xlsx.writer import FONT_NAME

from ..models import ReportingPeriod

# What the exports share of the house style beyond kernel.xlsx.writer's.
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=13)
NUMBER_FORMAT = "#,##0"

# Excel forbids these in sheet names, and a name has at most 31 characters.
_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def period_label(year: int, month: int) -> str:
    """«июнь 2021»: the month as the forms name it."""
    text = formats.date_format(datetime.date(year, month, 1), "F Y")
    return text[:1].lower() + text[1:]


def form_mark(form) -> str:
    return f"{form.code}/{form.version}"


def period_mark(period: ReportingPeriod) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def sheet_title(text: str) -> str:
    title = " ".join(text.translate(_SHEET_NAME_FORBIDDEN).split()).strip("'")
    return title[:31] or "1"
