"""Reading an upload: text in its usual encodings, Word with its automatic numbering and its
tables, and every document the intake cannot take refused with a Russian reason."""

import io
import struct
import zlib

import pytest

from intake import reading
from intake.reading import IntakeRejected, read_text, read_upload
from intake.samples import minutes_docx
from tests.helpers import SEED_PATH

from . import docx_builder as b

SEED = SEED_PATH.read_text(encoding="utf-8")


def texts(document):
    return [p.shown for p in document.paragraphs]


# ---------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    "data",
    [
        SEED.encode("utf-8"),
        b"\xef\xbb\xbf" + SEED.encode("utf-8"),
        SEED.replace("\n", "\r\n").encode("utf-8"),
        SEED.encode("cp1251"),
        SEED.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8 with BOM", "CRLF", "windows-1251", "utf-16"],
)
def test_a_text_file_reads_the_same_in_every_usual_encoding(data):
    document = read_upload(data)
    assert texts(document) == texts(read_text(SEED))
    assert document.paragraphs[0].text == "Ежегодное заседание Клуба деловых встреч"
    assert document.paragraphs[-1].text.startswith("3. Рассмотреть возможность участия")


def test_empty_lines_mark_gaps_and_trailing_spaces_go():
    document = read_text("\n\n  Заголовок  \nвторая строка\n\n\nАбзац\n")
    assert [(p.text, p.blank_before) for p in document.paragraphs] == [
        ("  Заголовок", False),
        ("вторая строка", False),
        ("Абзац", True),
    ]


def test_an_uploaded_file_object_is_read_like_bytes():
    assert texts(read_upload(io.BytesIO(SEED.encode("utf-8")))) == texts(read_text(SEED))


# ---------------------------------------------------------------------------- Word


def test_word_numbering_is_rebuilt_and_restarts_in_each_list():
    document = read_upload(minutes_docx(SEED))
    numbered = [(p.label, p.text[:20]) for p in document.paragraphs if p.label]
    assert numbered == [
        ("1.", "Выразить благодарнос"),
        ("2.", "Отметить положительн"),
        ("3.", "Ввести в состав Клуб"),
        ("1.", "Обеспечить регламент"),
        ("2.", "Проводить внутренние"),
        ("3.", "Рассмотреть возможно"),
    ]
    # the numbers are Word's, not typed into the text
    assert not any(p.text.startswith(("1.", "2.", "3.")) for p in document.paragraphs)


def test_word_lists_of_one_definition_continue_unless_restarted():
    document = b.new_document()
    b.add_list_definition(document, 70, [("decimal", "%1)")])
    first = b.add_list(document, 70)
    b.numbered(document, "Первый", first)
    b.numbered(document, "Второй", first)
    document.add_paragraph("Между списками")
    continued = b.add_list(document, 70, restart=False)
    b.numbered(document, "Третий", continued)
    restarted = b.add_list(document, 70)
    b.numbered(document, "Снова первый", restarted)
    labels = [p.label for p in read_upload(b.to_bytes(document)).paragraphs if p.label]
    assert labels == ["1)", "2)", "3)", "1)"]


def test_word_multilevel_and_lettered_and_bulleted_lists():
    document = b.new_document()
    b.add_list_definition(
        document, 71, [("decimal", "%1."), ("decimal", "%1.%2."), ("russianLower", "%3)")]
    )
    b.add_list_definition(document, 72, [("bullet", "\uf0b7")])
    num = b.add_list(document, 71)
    b.numbered(document, "Раздел", num)
    b.numbered(document, "Подраздел", num, level=1)
    b.numbered(document, "Подраздел", num, level=1)
    b.numbered(document, "Буква", num, level=2)
    b.numbered(document, "Буква", num, level=2)
    b.numbered(document, "Второй раздел", num)
    b.numbered(document, "Его подраздел", num, level=1)
    bullets = b.add_list(document, 72)
    b.numbered(document, "Пункт списка", bullets)
    labels = [p.label for p in read_upload(b.to_bytes(document)).paragraphs]
    assert labels == ["1.", "1.1.", "1.2.", "а)", "б)", "2.", "2.1.", "•"]


def test_numbering_from_a_paragraph_style_is_rebuilt_too():
    document = b.new_document()
    b.add_list_definition(document, 73, [("decimal", "%1.")])
    b.style_numbering(document, "List Number", b.add_list(document, 73))
    document.add_paragraph("Постановили:")
    document.add_paragraph("Выразить благодарность.", style="List Number")
    document.add_paragraph("Отметить работу.", style="List Number")
    read = read_upload(b.to_bytes(document))
    assert [p.shown for p in read.paragraphs] == [
        "Постановили:",
        "1. Выразить благодарность.",
        "2. Отметить работу.",
    ]


def test_word_line_breaks_stay_and_deleted_revisions_do_not():
    document = b.new_document()
    paragraph = b.with_line_break(document, "Первая строка пункта", "вторая строка")
    b.add_deleted_text(paragraph, " удалённый текст")
    read = read_upload(b.to_bytes(document))
    assert read.paragraphs[0].text == "Первая строка пункта\nвторая строка"


def test_tables_are_read_row_by_row_among_the_paragraphs():
    data = minutes_docx(
        SEED, tables=[[["Участник", "Организация"], ["Девятых И. А.", "МИБС г.Новокузнецка"]]]
    )
    paragraphs = read_upload(data).paragraphs
    assert [p.text for p in paragraphs if p.in_table] == [
        "Участник\tОрганизация",
        "Девятых И. А.\tМИБС г.Новокузнецка",
    ]
    assert not paragraphs[0].in_table


# ---------------------------------------------------------------------------- refusals


def refusal(data) -> IntakeRejected:
    with pytest.raises(IntakeRejected) as caught:
        read_upload(data)
    return caught.value


def png() -> bytes:
    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n"], ids=["no bytes", "only spaces"])
def test_an_empty_file_is_refused(data):
    error = refusal(data)
    assert error.code == "empty"
    assert error.message == "Файл пустой."


def test_a_word_document_without_text_is_refused():
    document = b.new_document()
    document.add_paragraph("")
    error = refusal(b.to_bytes(document))
    assert (error.code, error.message) == ("empty", "В документе нет текста.")


@pytest.mark.parametrize(
    "data", [png(), b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 50], ids=["png", "jpeg"]
)
def test_a_picture_is_refused_with_a_word_about_scans(data):
    error = refusal(data)
    assert error.code == "image"
    assert error.message.startswith("Это изображение, а не текст")
    assert "(.docx)" in error.message


def test_a_pdf_and_an_old_word_file_are_refused_with_what_to_do():
    assert refusal(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").message.startswith("Это файл PDF.")
    old = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert old.code == "old_word"
    assert "сохраните как документ .docx" in old.message


@pytest.mark.parametrize(
    "entries, start",
    [
        ({"notes.txt": "Повестка".encode()}, "Это архив ZIP, а не документ Word."),
        (
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"},
            "Это книга Excel, а не документ Word.",
        ),
        (
            {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
            "Это файл OpenDocument (LibreOffice), а не документ Word.",
        ),
    ],
    ids=["plain zip", "xlsx", "odt"],
)
def test_a_zip_of_something_else_is_not_taken_for_a_docx(entries, start):
    error = refusal(b.zip_bytes(entries))
    assert error.code == "not_docx"
    assert error.message.startswith(start)


def test_five_megabytes_of_text_are_refused_before_decoding(monkeypatch):
    line = "Пункт протокола. ".encode()
    data = line * (5 * 1024 * 1024 // len(line) + 1)
    monkeypatch.setattr(reading, "_decode_text", None)  # refused by its size alone
    error = refusal(data)
    assert error.code == "too_long"
    assert error.message == "Объём текста — 5,0\xa0МБ; принимаются протоколы до 2,0\xa0МБ текста."


def test_a_file_over_the_upload_limit_is_refused_unread():
    error = refusal(io.BytesIO(b"x" * (reading.MAX_UPLOAD_BYTES + 1024 * 1024)))
    assert error.code == "too_big"
    assert error.message == "Размер файла — 11,0\xa0МБ; принимаются протоколы до 10,0\xa0МБ."


def test_pasted_text_over_the_limit_is_refused():
    with pytest.raises(IntakeRejected) as caught:
        read_text("а" * (reading.MAX_TEXT_CHARS + 1))
    assert caught.value.message.startswith("В тексте 500\xa0001 знаков")


def test_a_docx_declaring_a_huge_document_is_refused_before_it_is_expanded(monkeypatch):
    document = b.new_document()
    document.add_paragraph("Постановили: " + "очень " * 800_000)
    data = b.to_bytes(document)
    assert len(data) < reading.MAX_UPLOAD_BYTES  # it compresses: a zip bomb in small

    def must_not_open(*args, **kwargs):
        raise AssertionError("python-docx was asked to expand the document")

    monkeypatch.setattr("docx.Document", must_not_open)
    error = refusal(data)
    assert error.code == "zip_too_big"
    assert error.message.startswith("В распакованном виде документ занял бы 8,4\xa0МБ;")
    assert "принимаются протоколы до 8,0\xa0МБ" in error.message


def test_a_docx_declaring_huge_pictures_is_refused_unread():
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    entries["word/media/photo.bmp"] = b"\0" * (reading.MAX_UNPACKED_BYTES + 1)
    error = refusal(b.zip_bytes(entries))
    assert error.code == "zip_too_big"
    assert "принимаются протоколы до 40,0\xa0МБ" in error.message


def test_a_docx_of_thousands_of_parts_is_refused(monkeypatch):
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    entries.update({f"word/media/image{i}.png": b"x" for i in range(reading.MAX_ZIP_ENTRIES)})
    error = refusal(b.zip_bytes(entries))
    assert error.code == "zip_entries"
    assert "Документ состоит из 1002 частей" in error.message


def test_a_table_only_document_is_refused():
    document = b.new_document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "1."
    table.cell(0, 1).text = "Выразить благодарность"
    table.cell(1, 0).text = "2."
    table.cell(1, 1).text = "Отметить работу"
    error = refusal(b.to_bytes(document))
    assert error.code == "tables_only"
    assert error.message.startswith("В документе только таблицы.")


def test_a_damaged_docx_is_refused():
    data = minutes_docx(SEED)
    error = refusal(data[: len(data) // 2])
    assert error.code == "broken"
    assert error.message == (
        "Документ Word повреждён и не читается. Сохраните его в Word заново как .docx."
    )


def test_binary_garbage_is_not_read_as_windows_1251_text():
    error = refusal(bytes(range(256)) * 4)
    assert error.code == "not_text"
    assert error.message.startswith("Файл не является ни документом Word (.docx), ни простым")
