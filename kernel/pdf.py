"""Shared PDF machinery: a fetcher that reads only our print files, rendering, and a cache."""

import datetime
import hashlib
import logging
import mimetypes
import os
import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import DataHandler, Request, url2pathname

import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

logger = logging.getLogger(__name__)

# Bump when a change outside the HTML and print.css alters the PDF (rendering options,
# this module): the cache key changes with it. The engine version is part of it, so an
# upgrade of WeasyPrint never serves files laid out by the old one.
PDF_LAYOUT_VERSION = f"3/weasyprint-{weasyprint.__version__}"
# PDF/A-2, level A: archival and tagged (headings, lists, tables, language for screen
# readers). Why part 2 and not 3: docs/architecture.md, «PDF files».
PDF_VARIANT = "pdf/a-2a"
# The same files untagged (level B), for the benchmark's comparison only.
UNTAGGED_PDF_VARIANT = "pdf/a-2b"
PDF_CACHE_DIR = "pdf-cache"
# A print asset (an image, a stylesheet) larger than this is a mistake, not a resource.
MAX_LOCAL_FILE_BYTES = 5 * 1024 * 1024


# C0 controls but tab, line feed and carriage return, and DEL: nothing to print.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FetchRefused(ValueError):
    """A URL the PDF renderer may not read: anything but data: and our own print files."""


def pdf_static_dir() -> Path:
    """The only folder the PDF renderer may read files from: static/pdf of the project."""
    return (Path(settings.BASE_DIR) / "static" / "pdf").resolve()


def print_css_path() -> Path:
    return pdf_static_dir() / "print.css"


class LocalOnlyURLFetcher(URLFetcher):
    """Fetches data: URLs and files inside static/pdf; refuses everything else, unread.

    Minutes are typed by people in the admin; were a tag ever to slip through
    escaping, WeasyPrint would otherwise read local files (file:///etc/passwd as an
    attachment) or reach the network (169.254.169.254). Nothing here opens a socket:
    data: is decoded in memory and files are read directly, never through urllib's opener.
    """

    def __init__(self, root: Path | None = None) -> None:
        super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False)
        self.root = (root or pdf_static_dir()).resolve()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._fetch_data(url)
        if scheme == "file":
            return self._fetch_file(url)
        logger.warning("PDF rendering refused to fetch %r", url[:200])
        raise FetchRefused(f"Only data: URLs and files in {self.root} may be fetched: {url[:200]}")

    def _fetch_data(self, url: str) -> URLFetcherResponse:
        response = DataHandler().data_open(Request(url))
        return URLFetcherResponse(url, response.read(), dict(response.headers.items()))

    def _fetch_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        # file://otherhost/… would be a network share on some systems.
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"File URLs on another host are refused: {url[:200]}")
        path = self.local_path(url)
        if path is None:
            logger.warning("PDF rendering refused to read %r", url[:200])
            raise FetchRefused(f"Only files in {self.root} may be read: {url[:200]}")
        # Opened by the checked real path, not by the name in the URL.
        with path.open("rb") as file:
            body = file.read(MAX_LOCAL_FILE_BYTES + 1)
        if len(body) > MAX_LOCAL_FILE_BYTES:
            raise FetchRefused(f"File too large for a PDF resource: {path.name}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def local_path(self, url: str) -> Path | None:
        """The real path a file: URL names, if it is a regular file inside the root."""
        raw = url2pathname(urlsplit(url).path)
        if not raw or not os.path.isabs(raw):
            return None
        try:
            # realpath resolves symlinks and «..», so neither can lead out of the root.
            real = Path(os.path.realpath(raw))
            inside = real.is_relative_to(self.root) and real.is_file()
        except (OSError, ValueError):  # a NUL byte, a loop of links
            return None
        return real if inside else None


def render_pdf(html: str, *, tagged: bool = True) -> bytes:
    """The HTML as a tagged PDF/A-2a with print.css and embedded fonts; reads nothing but
    static/pdf. `tagged=False` (PDF/A-2b) is for measuring what the tags cost.

    Title, author and language come from the HTML's <title>, <meta name="author"> and
    <html lang>; the structure tree from its elements (h1, ol, table…).
    """
    # The font configuration is held until the file is written: the pages use its fonts.
    document, _font_config = render_document(html)
    return document.write_pdf(pdf_variant=PDF_VARIANT if tagged else UNTAGGED_PDF_VARIANT)


# No Russian word is this long (the longest in dictionaries have 30-odd letters).
LONG_WORD_LETTERS = 40
_TEXT_BETWEEN_TAGS = re.compile(r">([^<>]+)<")
_LONG_WORD = re.compile(rf"\w{{{LONG_WORD_LETTERS},}}")


def unhyphenated_long_words(html: str) -> str:
    """Every run of LONG_WORD_LETTERS or more letters in the page's text, wrapped so that it
    breaks anywhere and is never hyphenated. WeasyPrint hyphenates a word too long for its
    line by trying each hyphenation point in turn, a layout each time: a 2,000-letter word
    costs 13 s, a 10,000-letter one (a title typed by a hostile hand) many minutes."""

    def wrap(text: re.Match) -> str:
        words = _LONG_WORD.sub(
            lambda w: f'<span style="hyphens: manual; overflow-wrap: anywhere">{w.group(0)}</span>',
            text.group(1),
        )
        return f">{words}<"

    # The body only: the <title> and <style> hold no lines to lay out, and no markup.
    head, body_tag, body = html.partition("<body")
    return head + body_tag + _TEXT_BETWEEN_TAGS.sub(wrap, body) if body_tag else html


def render_document(html: str):
    """The laid-out pages of the HTML with print.css (and the fonts they use).

    One fetcher per call (it keeps per-request state, so it is not shared between
    threads), used by the document and by every stylesheet.
    """
    # Control characters (a vertical tab pasted from Word, say) mean nothing on paper and no
    # font has a glyph for them: drawn, they are .notdef boxes, which PDF/A forbids.
    html = CONTROL_CHARACTERS.sub("", html)
    html = unhyphenated_long_words(html)
    fetcher = LocalOnlyURLFetcher()
    font_config = FontConfiguration()
    stylesheet = CSS(filename=print_css_path(), url_fetcher=fetcher, font_config=font_config)
    # A local base URL: relative references resolve inside static/pdf, never to the site
    # over HTTP (a worker fetching from its own server can deadlock).
    document = HTML(string=html, base_url=f"{pdf_static_dir()}/", url_fetcher=fetcher)
    return document.render(stylesheets=[stylesheet], font_config=font_config), font_config


def pdf_cache_key(html: str) -> str:
    digest = hashlib.sha256()
    for part in (html.encode("utf-8"), PDF_LAYOUT_VERSION.encode(), print_css_path().read_bytes()):
        # Length prefixes, so that no two different triples hash the same bytes.
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def cached_pdf(html: str) -> tuple[bytes, str]:
    """The PDF of the HTML and its key (an ETag), rendered once per distinct content.

    Stored through the «pdf_cache» storage (settings.STORAGES; kept apart from the public
    media so a draft's PDF is never reachable by URL) under pdf-cache/<key>.pdf: any edit
    to the minutes changes the HTML, hence the key, so a stale file is never served.
    """
    cache = storages["pdf_cache"]
    key = pdf_cache_key(html)
    name = f"{PDF_CACHE_DIR}/{key}.pdf"
    if cache.exists(name):
        with cache.open(name, "rb") as file:
            pdf = file.read()
        if pdf.startswith(b"%PDF"):
            return pdf, key
        # A truncated or foreign file: render again and replace it.
        cache.delete(name)
    pdf = render_pdf(html)
    saved = cache.save(name, ContentFile(pdf))
    if saved != name:
        # Another request stored the same PDF meanwhile; the storage kept both under
        # different names, and only ours is redundant.
        cache.delete(saved)
    return pdf, key


def stored_pdf(key: str) -> bytes | None:
    """The PDF already rendered under this key, if the cache still holds it."""
    files = storages["pdf_cache"]
    name = f"{PDF_CACHE_DIR}/{key}.pdf"
    try:
        with files.open(name, "rb") as file:
            pdf = file.read()
    except (FileNotFoundError, OSError):
        return None
    return pdf if pdf.startswith(b"%PDF") else None


def purge_stored_pdfs(*, older_than: datetime.timedelta) -> tuple[int, int]:
    """Delete rendered PDFs stored longer ago than `older_than`: (files deleted, files kept).

    Every edit gives minutes a new PDF under a new key and the old one is never asked
    for again, so the storage only grows. A current PDF deleted here is rendered again on
    its next download (the views check that a remembered file still exists).
    """
    files = storages["pdf_cache"]
    try:
        _folders, names = files.listdir(PDF_CACHE_DIR)
    except FileNotFoundError:
        return 0, 0
    cutoff = timezone.now() - older_than
    deleted = kept = 0
    for name in names:
        path = f"{PDF_CACHE_DIR}/{name}"
        try:
            stale = files.get_modified_time(path) < cutoff
        except FileNotFoundError:  # deleted meanwhile by another instance
            continue
        if stale and name.endswith(".pdf"):
            files.delete(path)
            deleted += 1
        else:
            kept += 1
    return deleted, kept
