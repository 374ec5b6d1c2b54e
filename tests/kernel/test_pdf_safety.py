"""The PDF renderer reads only static/pdf and data: URLs, and prints typed markup as text."""

import io
import socket
from urllib.request import OpenerDirector

import pytest
from pypdf import PdfReader

from kernel.pdf import (
    FetchRefused,
    LocalOnlyURLFetcher,
    pdf_static_dir,
    print_css_path,
    render_pdf,
)
from minutes.exporters.pdf import minutes_pdf, minutes_pdf_html
from minutes.selectors import minutes_for
from tests.helpers import make_meeting, make_resolution, normalize

IMG = '<img src="file:///etc/passwd">'
LINK = '<link rel="attachment" href="file:///etc/passwd">'
IMPORT = "@import url(http://169.254.169.254/)"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test loudly instead of reaching out."""
    attempts = []

    def refuse(sock, address, *args):
        attempts.append(address)
        raise AssertionError(f"PDF rendering tried to connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the renderer asks the fetcher for, with the fetcher still deciding."""
    urls = []
    real_fetch = LocalOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(LocalOnlyURLFetcher, "fetch", spy)
    return urls


@pytest.fixture
def opener_calls(monkeypatch):
    """Calls into urllib's opener, the road to http, ftp and file: the fetcher never takes it."""
    calls = []

    def spy(self, url, *args, **kwargs):
        calls.append(url)
        raise AssertionError(f"urllib opener used for {url}")

    monkeypatch.setattr(OpenerDirector, "open", spy)
    return calls


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data",
        "https://example.com/x.css",
        "ftp://example.com/x.css",
        "file://otherhost/etc/passwd",
        f"file://{pdf_static_dir()}/../../pyproject.toml",
        f"file://{pdf_static_dir()}/%2e%2e/%2e%2e/pyproject.toml",
        f"file://{pdf_static_dir()}/missing.css",
        f"file://{pdf_static_dir()}",
        "file:relative/print.css",
        "javascript:alert(1)",
        "/etc/passwd",
    ],
)
def test_the_fetcher_refuses_anything_outside_static_pdf(url, no_network, opener_calls):
    with pytest.raises(FetchRefused):
        LocalOnlyURLFetcher().fetch(url)
    assert no_network == [] and opener_calls == []


def test_the_fetcher_refuses_a_symlink_leading_out_of_its_folder(tmp_path):
    root = tmp_path / "pdf"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    (root / "link.css").symlink_to(secret)
    with pytest.raises(FetchRefused):
        LocalOnlyURLFetcher(root=root).fetch(f"file://{root}/link.css")


def test_the_fetcher_reads_a_file_inside_static_pdf(no_network, opener_calls):
    response = LocalOnlyURLFetcher().fetch(f"file://{print_css_path()}")
    assert response.read() == print_css_path().read_bytes()
    assert response.content_type == "text/css"


def test_the_fetcher_decodes_a_data_url_in_memory(no_network, opener_calls):
    response = LocalOnlyURLFetcher().fetch("data:text/css;base64,cCB7IGNvbG9yOiByZWQgfQ==")
    assert response.read() == b"p { color: red }"
    assert response.content_type == "text/css"


@pytest.mark.django_db
def test_markup_typed_in_the_admin_is_printed_as_text_and_fetches_nothing(
    fetched, no_network, opener_calls
):
    meeting = make_meeting(preamble=f"Вступление.\n{LINK}\n{IMPORT}")
    make_resolution(meeting, 1, text=IMG)
    minutes = minutes_for(meeting)

    html = minutes_pdf_html(minutes)
    assert "<img" not in html and "<link" not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html

    pdf = minutes_pdf(minutes)[0]
    reader = PdfReader(io.BytesIO(pdf))
    text = normalize("".join(page.extract_text() for page in reader.pages))
    for typed in (IMG, LINK, IMPORT):
        assert normalize(typed) in text
    assert reader.attachments == {}
    assert fetched == [] and no_network == [] and opener_calls == []


def test_raw_html_that_asks_for_files_and_the_network_gets_neither(
    fetched, no_network, opener_calls
):
    # Defence in depth: even markup that escaped escaping is refused by the fetcher.
    html = (
        '<html lang="ru"><head><title>t</title>'
        f"<style>{IMPORT};</style>{LINK}"
        '<link rel="stylesheet" href="http://169.254.169.254/x.css"></head>'
        f'<body><p>Текст</p>{IMG}<img src="http://169.254.169.254/latest/meta-data">'
        '<a rel="attachment" href="file:///etc/passwd">вложение</a>'
        '<img src="../../../../etc/passwd"></body></html>'
    )
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    assert reader.attachments == {}
    assert "root:" not in "".join(page.extract_text() for page in reader.pages)
    assert "file:///etc/passwd" in fetched
    assert any(url.startswith("http://169.254.169.254") for url in fetched)
    assert no_network == [] and opener_calls == []


@pytest.mark.django_db
def test_rendering_the_demo_minutes_opens_no_socket(demo, no_network):
    pdf = minutes_pdf(minutes_for(demo))[0]
    assert pdf.startswith(b"%PDF")
    assert no_network == []


def test_a_word_of_ten_thousand_letters_is_laid_out_without_hyphenating_it():
    """WeasyPrint hyphenates a word too long for its line by trying each point in turn (a
    2,000-letter word took 13 s, one of 10,000 many minutes): such a run of letters breaks
    anywhere instead, and every letter is on the pages."""
    from kernel.pdf import LONG_WORD_LETTERS, render_pdf, unhyphenated_long_words
    from tests.clients import poppler

    word = "Ж" * 10_001
    html = (
        '<html lang="ru"><head><title>Ж</title></head><body>'
        f'<p style="hyphens: auto; text-align: justify">Слово {word} слово</p></body></html>'
    )
    wrapped = unhyphenated_long_words(html)
    assert "<title>Ж</title>" in wrapped
    assert f'overflow-wrap: anywhere">{word}</span>' in wrapped
    # Words of the language are left to the hyphenation.
    ordinary = "внестационарного " * 3
    assert unhyphenated_long_words(f"<body><p>{ordinary}</p>") == f"<body><p>{ordinary}</p>"
    assert len("внестационарного") < LONG_WORD_LETTERS
    text = poppler.pdftotext(render_pdf(html))
    assert "".join(text.split()).count("Ж") == 10_001
