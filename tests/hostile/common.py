"""The hostile values typed everywhere, and how a test reads back what they became."""

import io
import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import openpyxl
from django.conf import settings
from pypdf import PdfReader

from kernel.pdf import pdf_static_dir
from stats.models import Value
from tests.formscrape import form_data
from tests.helpers import (
    normalize,
)
from tests.minutes.test_minutes_pdf import body_texts

LONG = "Ж" * 10_001
NUL = "Протокол\x00заседания"
CONTROL = "Было" + "".join(map(chr, range(1, 32))) + "стало"
PRINTED_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EMOJI = "👩‍💼📚 Клуб"
CYRILLIC = "Ёлки, ёжик: № 5 «Ёё»\u00a0мяг\u00adкий не\u2011разрывный — конец"
SCRIPT = "<script>alert(1)</script>"
ONERROR = '"><img src=x onerror=alert(1)>'
WEASYPRINT = (
    '<img src="file:///etc/passwd">',
    '<img src="http://169.254.169.254/latest/meta-data/">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "<style>@import url(http://169.254.169.254/x.css);</style>",
    "url(file:///etc/shadow)",
)
MARKUP = (SCRIPT, ONERROR, *WEASYPRINT)
FORMULAS = (
    '=HYPERLINK("http://evil/","x")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1,1)",
    "\t=1",
    "\r=1",
)
# What must never appear raw in an HTML page built from typed text.
RAW_MARKUP = [m for m in MARKUP if "<" in m]

NUL_MESSAGE = "Данные содержат запрещённый символ: ноль-байт"
ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
ADMIN_ERRORS = "Пожалуйста, исправьте"


def fitting(parts, limit):
    """As many of the parts, joined by spaces, as fit into limit characters (None: all)."""
    text = ""
    for part in parts:
        candidate = f"{text} {part}".strip()
        if limit is None or len(candidate) <= limit:
            text = candidate
    return text


def too_long(limit):
    return f"Убедитесь, что это значение содержит не более {limit} символов (сейчас 10001)."


def excel_text(value: str) -> str:
    """The text a workbook cell holds for a typed value: Excel forbids most control characters."""
    value = value.replace("\r\n", "\n")
    return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")


def assert_nothing_outside(seen):
    root = pdf_static_dir()
    for url in seen.urls:
        if url.startswith("data:"):
            continue
        assert url.startswith("file://"), f"the PDF renderer was asked for {url}"
        path = Path(url2pathname(urlsplit(url).path)).resolve()
        assert path.is_relative_to(root), f"the PDF renderer was asked for {url}"
    assert seen.sockets == []


def pdf_text(response) -> tuple[str, PdfReader]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.attachments == {}, "something was attached to the PDF"
    # The text between the top and bottom margins: the page numbers there (top centre, and
    # «Страница N из M» below) are not part of a word that runs on to the next page.
    text = "".join(text for page in reader.pages for _x, text in body_texts(page))
    # A soft hyphen where WeasyPrint broke the line prints as a hyphen (U+2010).
    return normalize(text.replace("\u2010", "")), reader


def workbook_texts(response) -> list[str]:
    """Every text cell of the downloaded workbook; fails on a formula or an unguarded text."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value and cell.value[0] in "=+-@\t\r":
                        # OWASP ASVS 1.2.10: Excel must not make a formula of it once edited.
                        assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} lacks the quote"
    return texts


def errors(html: str) -> list[str]:
    """The form errors a page shows, for the failure message of a test."""
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, flags=re.S)
    return [re.sub(r"<[^>]+>", " ", item).strip() for item in lists]


def assert_escaped(response):
    assert response.status_code < 500
    body = response.content.decode()
    for raw in RAW_MARKUP:
        assert raw not in body, f"{raw} reached the page unescaped"


def change_url(meeting):
    return f"/admin/meetings/meeting/{meeting.pk}/change/"


def post_meeting(client, meeting, changes):
    data = form_data(client.get(change_url(meeting)).content.decode(), "meeting_form")
    data.update(changes)
    return client.post(change_url(meeting), data)


def limits_of(fields: dict) -> dict:
    """How many fields of each max_length there are, as the messages that must appear."""
    counts = {}
    for limit in fields.values():
        if limit:
            counts[too_long(limit)] = counts.get(too_long(limit), 0) + 1
    return counts


POINTS = "VS.POINTS"


def stored_figure(report, code=POINTS):
    value = Value.objects.filter(report=report, indicator__code=code).first()
    return value.value if value else None
