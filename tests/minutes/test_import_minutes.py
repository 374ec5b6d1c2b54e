"""`manage.py import_minutes FILE [--dry-run]`: the seed minutes, as text and as a .docx, become
a draft meeting in a database that holds the demo's organisations but not the seed meeting;
published, its page, PDF and workbook hold every seed sentence. Bad documents are refused in
Russian and save nothing."""

import io
import zipfile
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from demo.club import ADMITTED
from intake.samples import minutes_docx
from meetings.models import Meeting, MeetingAttachment
from meetings.services import meeting_publish
from members.models import Member, Organization
from resolutions.models import Admission, Resolution
from tests.helpers import SEED_PATH, normalize, seed_sentences
from tests.minutes.test_minutes_pdf import pdf_text

pytestmark = pytest.mark.django_db

SEED = SEED_PATH.read_text(encoding="utf-8")


def run(path, *args) -> list[str]:
    out = StringIO()
    call_command("import_minutes", str(path), *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture(params=["txt", "docx"])
def seed_file(request, tmp_path):
    path = tmp_path / f"protokol.{request.param}"
    path.write_bytes(SEED.encode("utf-8") if request.param == "txt" else minutes_docx(SEED))
    return path


def test_the_seed_becomes_a_draft_and_its_slug_is_the_last_line(catalogue, seed_file, client):
    lines = run(seed_file)
    assert lines[-1] == "2021-06-23"
    meeting = Meeting.objects.get(slug=lines[-1])
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.kind == Meeting.Kind.ANNUAL and meeting.format == Meeting.Format.ONLINE
    assert meeting.venue.short_name == "ГНБК им. В.Д. Федорова"
    # Nothing of a draft is public: not its page, its files, nor the members it admits.
    assert client.get("/meetings/2021-06-23/").status_code == 404
    assert client.get("/meetings/2021-06-23/minutes.pdf").status_code == 404
    for member in Member.objects.all():
        assert client.get(f"/members/{member.pk}/").status_code == 404


def test_the_four_members_in_the_nominative_with_their_organisations(catalogue, seed_file):
    run(seed_file)
    admitted = [
        (a.member.last_name, a.member.first_name, a.member.patronymic, a.member.organization)
        for a in Admission.objects.select_related("member__organization").order_by("pk")
    ]
    assert [(last, first, middle, org.short_name) for last, first, middle, org in admitted] == [
        tuple(row) for row in ADMITTED
    ]
    # Every organisation the minutes name was found in the catalogue: none was created.
    assert Organization.objects.count() == catalogue


def test_the_six_items_with_their_kinds_agenda_and_intros(catalogue, seed_file):
    run(seed_file)
    meeting = Meeting.objects.get()
    items = list(meeting.resolutions.order_by("section", "number"))
    assert [(r.section, r.number, r.kind) for r in items] == [
        (Resolution.Section.RESOLVED, 1, Resolution.Kind.GRATITUDE),
        (Resolution.Section.RESOLVED, 2, Resolution.Kind.NOTE),
        (Resolution.Section.RESOLVED, 3, Resolution.Kind.ADMISSION),
        (Resolution.Section.DECISIONS, 1, Resolution.Kind.DECISION),
        (Resolution.Section.DECISIONS, 2, Resolution.Kind.DECISION),
        (Resolution.Section.DECISIONS, 3, Resolution.Kind.DECISION),
    ]
    assert [r.agenda_item.order if r.agenda_item else None for r in items] == [
        None,
        1,
        None,
        3,
        2,
        None,
    ]
    assert meeting.agenda_items.count() == 3
    assert meeting.decisions_intro == "По итогам мероприятия приняты следующие решения:"


def test_published_its_page_pdf_and_workbook_hold_every_seed_sentence(catalogue, seed_file):
    slug = run(seed_file)[-1]
    meeting_publish(meeting=Meeting.objects.get(slug=slug))
    visitor = Client()
    page = visitor.get(f"/meetings/{slug}/")
    assert page.status_code == 200
    pdf = visitor.get(f"/meetings/{slug}/minutes.pdf")
    assert pdf.status_code == 200
    workbook = visitor.get(f"/meetings/{slug}/minutes.xlsx")
    assert workbook.status_code == 200
    cells = openpyxl.load_workbook(io.BytesIO(workbook.content))
    workbook_text = normalize(
        " ".join(
            str(cell.value)
            for sheet in cells.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        )
    )
    page_text = normalize(page.content.decode().replace("&nbsp;", " "))
    printed = pdf_text(pdf.content)
    for where, text in (("page", page_text), ("pdf", printed), ("workbook", workbook_text)):
        missing = [s for s in seed_sentences() if normalize(s) not in text]
        assert missing == [], where


def test_the_docx_is_kept_as_the_meetings_attachment(catalogue, tmp_path):
    path = tmp_path / "Протокол 23.06.2021.docx"
    path.write_bytes(minutes_docx(SEED))
    run(path)
    (attachment,) = MeetingAttachment.objects.all()
    assert attachment.file.read() == path.read_bytes()


def test_a_dry_run_prints_the_draft_and_saves_nothing(catalogue, tmp_path):
    path = tmp_path / "protokol.txt"
    path.write_text(SEED, encoding="utf-8")
    lines = run(path, "--dry-run")
    text = "\n".join(lines)
    assert "Девятых Ирина Анатольевна" in text
    assert "ничего не сохранено" in lines[-1].lower()
    assert not Meeting.objects.exists() and not Member.objects.exists()
    assert Organization.objects.count() == catalogue


def image() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def zip_of_something_else() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "не документ Word")
    return buffer.getvalue()


# The documents «Done when» lists, each with a word its Russian refusal must contain.
BAD_DOCUMENTS = [
    ("empty.txt", lambda: b"", "пуст"),
    ("picture.docx", image, ""),
    ("archive.docx", zip_of_something_else, ""),
    ("huge.txt", lambda: ("Слово " * 1_000_000).encode(), ""),
    (
        "tables.docx",
        lambda: minutes_docx("", tables=[[["Повестка", "Решение"], ["1", "Отметить"]]]),
        "таблиц",
    ),
    ("no-items.txt", lambda: "Протокол заседания\nОбсудили опыт работы.".encode(), "нумер"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_DOCUMENTS)
def test_a_bad_document_gets_a_russian_message_and_saves_nothing(
    catalogue, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content())
    with pytest.raises(CommandError) as refused:
        run(path)
    text = str(refused.value)
    assert text and any("а" <= ch <= "я" for ch in text.lower()), text
    assert message in text.lower()
    assert not Meeting.objects.exists() and not Member.objects.exists()
    assert Organization.objects.count() == catalogue


def test_a_missing_file_is_named_in_the_message(catalogue, tmp_path):
    with pytest.raises(CommandError) as refused:
        run(tmp_path / "нет-такого.txt")
    assert "нет-такого.txt" in str(refused.value)


@pytest.mark.parametrize("aliases", ["", "Полысаевская ЦБС\nЦБС Полысаево"])
def test_the_organisations_other_names_are_matched_in_any_case(catalogue, tmp_path, aliases):
    """The catalogue calls it otherwise; the secretary's «other names» make the minutes'
    «Польсаевскую ЦБС» (accusative, a letter off) find it instead of creating a duplicate."""
    renamed = Organization.objects.get(short_name="Полысаевская ЦБС")
    renamed.short_name = "МБУК «Библиотечная сеть»"
    renamed.full_name = "Муниципальное бюджетное учреждение культуры «Библиотечная сеть»"
    renamed.aliases = aliases
    renamed.save()
    path = tmp_path / "protokol.txt"
    path.write_text(SEED, encoding="utf-8")
    run(path)
    kentner = Member.objects.get(last_name="Кентнер")
    if aliases:
        assert kentner.organization == renamed
        assert Organization.objects.count() == catalogue
    else:
        assert kentner.organization != renamed
        assert Organization.objects.count() == catalogue + 1


GROUP_MINUTES = """Заседание Клуба деловых встреч методистов Кузбасса
15 февраля 2024 г.
Участники заседания постановили:
1. Библиотечным системам области провести месячник краеведения в срок до 1 марта 2024 г.
2. Научно-методическому отделу ГНБК им. В.Д. Федорова обобщить опыт к 15 мая 2024 г.
"""


def test_every_library_system_is_one_group_and_a_department_its_library(catalogue, tmp_path):
    path = tmp_path / "protokol.txt"
    path.write_text(GROUP_MINUTES, encoding="utf-8")
    meeting = Meeting.objects.get(slug=run(path)[-1])
    first, second = meeting.resolutions.order_by("number")
    # «Библиотечным системам области»: the group, not 35 organisations typed by hand.
    assert first.to_library_systems and not first.responsible_organizations.exists()
    assert first.due_date.isoformat() == "2024-03-01"
    assert [o.short_name for o in second.responsible_organizations.all()] == [
        "ГНБК им. В.Д. Федорова"
    ]
    assert not second.to_library_systems
    assert second.due_date.isoformat() == "2024-05-15"
    assert Organization.objects.count() == catalogue


def test_minutes_that_admit_members_again_are_refused_and_save_nothing(catalogue, tmp_path):
    """The same minutes imported twice: the intake finds the four members, each admitted
    already; a member is admitted once, so the second import is refused, naming them."""
    path = tmp_path / "protokol.txt"
    path.write_text(SEED, encoding="utf-8")
    run(path)
    meetings, members = Meeting.objects.count(), Member.objects.count()
    with pytest.raises(CommandError) as refused:
        run(path)
    text = str(refused.value)
    assert "Девятых Ирина Анатольевна" in text and "уже принят" in text
    assert "23 июня 2021" in text and "ничего не сохранено" in text.lower()
    assert (Meeting.objects.count(), Member.objects.count()) == (meetings, members)


TWICE = """Заседание Клуба деловых встреч методистов Кузбасса
15 февраля 2024 г.
Участники заседания постановили:
1. Ввести в состав Клуба Девятых Ирину Анатольевну (МИБС г.Новокузнецка).
2. Принять в члены Клуба Девятых Ирину Анатольевну (МИБС г.Новокузнецка).
"""


def test_minutes_admitting_one_person_in_two_items_are_refused(catalogue, tmp_path):
    path = tmp_path / "protokol.txt"
    path.write_text(TWICE, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run(path)
    assert "Девятых Ирина Анатольевна" in str(refused.value)
    assert "1 и 2" in str(refused.value)
    assert not Meeting.objects.exists() and not Member.objects.exists()
