"""The secretary loads the seed minutes through «Загрузить протокол» in Chromium, edits no
field on the review screen, and the published minutes hold every seed sentence."""

import io

import openpyxl
import pytest
from django.test import Client

from demo.club import ADMITTED, demo_organizations
from demo.statistics import library_systems
from intake.samples import minutes_docx
from kernel import roles
from meetings.models import Meeting, MeetingAttachment
from members.models import Member, Municipality, Organization
from resolutions.models import Admission
from tests.helpers import SEED_PATH, make_user, normalize, seed_sentences
from tests.minutes.test_minutes_pdf import pdf_text

from .conftest import csp_problems, screenshot
from .test_minutes_flow import log_in_admin

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.e2e]


def test_the_seed_docx_through_the_review_screen_unedited(page, tmp_path):
    demo_organizations()
    for municipality, short, full, _scale in library_systems():
        place, _ = Municipality.objects.get_or_create(name=municipality)
        Organization.objects.get_or_create(
            short_name=short, defaults={"full_name": full, "municipality": place}
        )
    organizations = Organization.objects.count()
    document = tmp_path / "Протокол 23.06.2021.docx"
    document.write_bytes(minutes_docx(SEED_PATH.read_text(encoding="utf-8")))
    make_user("sekretar", group=roles.SECRETARY, password="Sekretar-2026!")

    log_in_admin(page, "sekretar", "Sekretar-2026!")
    page.goto("/admin/meetings/meeting/")
    page.click("text=Загрузить протокол")
    page.set_input_files("#id_document", str(document))
    page.click("text=Прочитать протокол")
    page.wait_for_selector("#intake-review")
    screenshot(page, "admin-intake-review")
    # The document beside the draft; the four new members marked, nothing saved yet.
    assert "Ввести в состав Клуба" in page.inner_text(".intake-document pre")
    assert page.locator(".intake-person").count() == 4
    assert page.input_value("#id_meeting-date") == "23.06.2021"
    assert not Meeting.objects.exists()

    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.DRAFT
    assert Organization.objects.count() == organizations
    assert [
        (
            a.member.last_name,
            a.member.first_name,
            a.member.patronymic,
            a.member.organization.short_name,
        )
        for a in Admission.objects.select_related("member__organization").order_by("pk")
    ] == [tuple(row) for row in ADMITTED]
    assert Member.objects.count() == 4
    kinds = list(meeting.resolutions.order_by("section", "number").values_list("kind", flat=True))
    assert kinds == ["gratitude", "note", "admission", "decision", "decision", "decision"]
    assert MeetingAttachment.objects.get(meeting=meeting).file.read() == document.read_bytes()

    # Published with the admin action, its page, PDF and workbook hold every seed sentence.
    page.goto("/admin/meetings/meeting/")
    page.check(f"input[name=_selected_action][value='{meeting.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    visitor = Client()
    html = visitor.get(f"/meetings/{meeting.slug}/")
    assert html.status_code == 200
    workbook = openpyxl.load_workbook(
        io.BytesIO(visitor.get(f"/meetings/{meeting.slug}/minutes.xlsx").content)
    )
    texts = {
        "page": normalize(html.content.decode().replace("&nbsp;", " ")),
        "pdf": pdf_text(visitor.get(f"/meetings/{meeting.slug}/minutes.pdf").content),
        "workbook": normalize(
            " ".join(
                str(c.value)
                for s in workbook.worksheets
                for r in s.iter_rows()
                for c in r
                if c.value is not None
            )
        ),
    }
    for where, text in texts.items():
        assert [s for s in seed_sentences() if normalize(s) not in text] == [], where
    assert csp_problems(page) == []
