"""The report on open decisions as files: the PDF as poppler reads it (tagged PDF/A-2a) and
the Word file as LibreOffice Writer reads it hold exactly the open decisions in the page's
order, dated the day they are made; drafts stay out of the public's copy; a repeat download
is a 304."""

import pytest

from kernel.downloads import DOCX, PDF
from tests.chronicle.test_progress import PUBLIC_ORDER, make_world
from tests.clients import poppler
from tests.clients.fixtures import response_bytes
from tests.helpers import make_user, pinned_clock

pytestmark = pytest.mark.django_db

PDF_URL = "/resolutions/progress.pdf"
DOCX_URL = "/resolutions/progress.docx"


def collect(client):
    rows = make_world()
    texts = {name: row.text for name, row in rows.items()}
    with pinned_clock(2022, 8, 15):
        pdf = client.get(PDF_URL)
        docx = client.get(DOCX_URL)
        again = client.get(PDF_URL, HTTP_IF_NONE_MATCH=pdf["ETag"])
        client.force_login(make_user("secretary-files", superuser=True))
        staff_pdf = client.get(PDF_URL)
    headers = {
        "pdf": (pdf["Content-Type"], pdf["Content-Disposition"], pdf["ETag"]),
        "docx": (docx["Content-Type"], docx["Content-Disposition"]),
        "again": again.status_code,
        "staff": staff_pdf["Cache-Control"],
    }
    files = {
        "pdf": response_bytes(pdf),
        "docx": response_bytes(docx),
        "staff_pdf": response_bytes(staff_pdf),
    }
    return texts, headers, files


@pytest.fixture(scope="module")
def made(render_once):
    return render_once(collect)


@pytest.fixture(scope="module")
def writer(made, libreoffice):
    return libreoffice.read_document(made[2]["docx"])


def in_order(text: str, texts: dict, names) -> list[str]:
    folded = {n: poppler.fold(texts[n]) for n in names}
    found = [(text.find(folded[n]), n) for n in names if folded[n] in text]
    return [n for _at, n in sorted(found)]


def test_the_files_are_dated_downloads_revalidated_by_their_etag(made):
    _texts, headers, _files = made
    content_type, disposition, _etag = headers["pdf"]
    assert content_type == PDF
    assert 'filename="hod-vypolneniya-resheniy-2022-08-15.pdf"' in disposition
    assert headers["docx"][0] == DOCX
    assert 'filename="hod-vypolneniya-resheniy-2022-08-15.docx"' in headers["docx"][1]
    assert headers["again"] == 304
    assert "private" in headers["staff"]


def test_the_pdf_holds_exactly_the_open_decisions_in_order(made):
    texts, _headers, files = made
    text = poppler.reading_text(files["pdf"])
    assert in_order(text, texts, texts) == PUBLIC_ORDER
    assert "СПРАВКА" in text
    assert "На 15 августа 2022 г.: 5 решений ещё не выполнены; 1 из них просрочено." in text
    assert "Срок: 1 июня 2022 г. — просрочено" in text
    assert "Срок: 1 сентября 2022 г. Ответственные организации: Библиотечные системы" in text
    assert "Заседание 23 июня 2021 г.: Ежегодное заседание" in text


def test_the_pdf_is_tagged_pdfa_titled_by_the_report_and_its_day(made):
    info = poppler.pdfinfo(made[2]["pdf"])
    assert info.tagged
    assert info.pdfa == ("2", "A")
    assert info.title == "О ходе выполнения решений заседаний Клуба на 15 августа 2022 г."


def test_staff_get_the_drafts_decisions_too(made):
    texts, _headers, files = made
    text = poppler.reading_text(files["staff_pdf"])
    assert in_order(text, texts, texts) == [*PUBLIC_ORDER, "draft"]
    assert "Черновое (черновик)" in text


def test_writer_reads_the_same_decisions_in_the_same_order(made, writer):
    texts, _headers, _files = made
    text = poppler.fold(writer.text)
    assert in_order(text, texts, texts) == PUBLIC_ORDER
    lines = writer.text.splitlines()
    assert "СПРАВКА" in lines
    assert "15 августа 2022 г." in lines
    assert "О ходе выполнения решений заседаний Клуба" in lines
    assert "Срок: 1 июня 2022 г. — просрочено" in lines
    assert "Ответственный исполнитель: Иванова М.П." in lines
    assert writer.headings[0] == (1, "СПРАВКА")
    assert (2, "Заседание 23 июня 2021 г.: Ежегодное заседание") in writer.headings
    # The latest three entries of four, and where the earlier one is.
    assert "4 мая 2022 г.: Сделан шаг 4" in lines
    assert "1 мая 2022 г.: Сделан шаг 1" not in lines
