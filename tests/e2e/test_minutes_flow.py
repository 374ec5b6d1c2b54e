"""The secretary enters and publishes minutes; a visitor finds them and downloads the PDF."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from kernel import roles
from meetings.models import Meeting
from members.models import Member, Municipality, Organization
from tests.helpers import make_user, normalize

from .conftest import csp_problems, screenshot, watched

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.e2e]


def log_in_admin(page, username, password):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def choose_autocomplete(page, container_selector: str, text: str):
    page.click(container_selector)
    page.fill(".select2-container--open .select2-search__field", text)
    page.wait_for_selector(f".select2-results__option:has-text('{text}')")
    page.keyboard.press("Enter")


def test_secretary_publishes_minutes_and_a_visitor_finds_them(page, live_server):
    make_user("sekretar", group=roles.SECRETARY, password="Sekretar-2026!")
    municipality = Municipality.objects.create(name="Юргинский городской округ")
    Organization.objects.create(short_name="ЦБС г. Юрги", municipality=municipality)

    log_in_admin(page, "sekretar", "Sekretar-2026!")
    page.goto("/admin/meetings/meeting/add/")
    page.fill("#id_title", "Заседание Клуба деловых встреч методистов Кузбасса")
    page.fill("#id_topic", "Летние читальные залы")
    page.fill("#id_date", "15.06.2026")
    page.select_option("#id_kind", "regular")
    page.select_option("#id_format", "offline")
    page.fill("#id_preamble", "Рассмотрен опыт работы летних читальных залов.")

    # Three agenda questions are offered, numbered; «Добавить ещё» numbers the next one.
    assert page.input_value("#id_agenda_items-2-order") == "3"
    page.click("#agenda_items-group .add-row a")
    assert page.input_value("#id_agenda_items-3-order") == "4"
    page.fill("#id_agenda_items-0-title", "Опыт летних читальных залов")
    page.fill("#id_agenda_items-3-title", "Внутрипрофессиональные конкурсы")

    # Item 1 of «постановили»: the admission of a member created on the spot.
    page.click("#resolutions-group .add-row a")
    page.select_option("#id_resolutions-0-section", "1")
    page.select_option("#id_resolutions-0-kind", "admission")
    page.fill(
        "#id_resolutions-0-text", "Ввести в состав Клуба Петрову Ольгу Ивановну (ЦБС г. Юрги)."
    )
    with page.expect_popup() as popup_info:
        page.click("#add_id_resolutions-0-admitted")
    popup = popup_info.value
    popup.fill("#id_last_name", "Петрова")
    popup.fill("#id_first_name", "Ольга")
    popup.fill("#id_patronymic", "Ивановна")
    choose_autocomplete(popup, "#id_organization + .select2", "ЦБС г. Юрги")
    with popup.expect_event("close"):
        popup.click("input[name=_save]")
    page.wait_for_selector("#id_resolutions-0-admitted option:checked")

    # A decision in the second section: the number is proposed automatically.
    page.click("#resolutions-group .add-row a")
    page.select_option("#id_resolutions-1-section", "2")
    page.select_option("#id_resolutions-1-kind", "decision")
    page.fill("#id_resolutions-1-text", "Организовать летние читальные залы во всех ЦБС.")
    page.fill("#id_resolutions-1-due_date", "01.09.2026")
    assert page.input_value("#id_resolutions-1-number") == "1"
    screenshot(page, "admin-meeting-form")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    meeting = Meeting.objects.get(topic="Летние читальные залы")
    assert meeting.slug == "2026-06-15"
    # The two rows left untouched are not saved; the added one keeps the number it was given.
    assert list(meeting.agenda_items.values_list("order", flat=True)) == [1, 4]
    member = Member.objects.get(last_name="Петрова")
    assert member.admission.resolution.meeting == meeting
    assert meeting.status == Meeting.Status.DRAFT

    # Publish with the admin action.
    page.goto("/admin/meetings/meeting/")
    page.check(f"input[name=_selected_action][value='{meeting.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    meeting.refresh_from_db()
    assert meeting.is_published

    # An anonymous visitor searches the archive, opens the meeting and downloads the PDF.
    visitor = page.context.browser.new_context(base_url=live_server.url, accept_downloads=True)
    anonymous = watched(visitor.new_page())
    anonymous.goto("/meetings/")
    anonymous.fill("#id_q", "читальные")
    anonymous.click("form [type=submit]")
    anonymous.click("text=Летние читальные залы")
    anonymous.wait_for_url("**/meetings/2026-06-15/")
    assert "Петрова Ольга Ивановна" in anonymous.content()
    screenshot(anonymous, "meeting-page")
    with anonymous.expect_download() as download_info:
        anonymous.click("text=Скачать протокол (PDF)")
    pdf = download_info.value
    reader = PdfReader(io.BytesIO(Path(pdf.path()).read_bytes()))
    text = normalize("".join(p.extract_text() for p in reader.pages))
    assert normalize("Организовать летние читальные залы во всех ЦБС.") in text
    assert csp_problems(anonymous) == []
    visitor.close()
    assert csp_problems(page) == []
