"""Every file the portal hands out arrives the same way: a download under our name, unsniffed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kernel.downloads import PDF, XLSX, download_response

pytestmark = pytest.mark.django_db


def test_the_resolutions_export_is_a_workbook_saved_under_the_day_it_was_made(client, demo):
    response = client.get("/resolutions/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="resheniya-{stamp}.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"PK")


def test_the_minutes_workbook_is_saved_under_the_meetings_date(client, demo):
    response = client.get("/meetings/2021-06-23/minutes.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="protokol-2021-06-23.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_extract_of_an_item_is_a_pdf_saved_under_its_item(client, demo):
    item = demo.resolutions.order_by("section", "number").first()
    response = client.get(reverse("resolutions:extract_pdf", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    name = f"vypiska-2021-06-23-{item.section}-{item.number}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"]


def test_the_calendar_opens_rather_than_saves(client, demo):
    response = client.get("/meetings/2021-06-23/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="meeting-2021-06-23.ics"'


def test_a_russian_file_name_survives_the_download(client):
    from django.core.files.base import ContentFile

    from meetings.models import MeetingAttachment
    from tests.helpers import make_meeting

    meeting = make_meeting(datetime.date(2023, 4, 4))
    item = MeetingAttachment(meeting=meeting, title="Презентация", kind="presentation")
    item.file = ContentFile(b"%PDF-1.4 test", name="slides.pdf")
    item.save()
    response = client.get(f"{meeting.get_absolute_url()}files/{item.pk}/")
    assert response["Content-Type"] == PDF
    quoted = "%D0%9F%D1%80%D0%B5%D0%B7%D0%B5%D0%BD%D1%82%D0%B0%D1%86%D0%B8%D1%8F"  # Презентация
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quoted}.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_helper_names_the_file_and_forbids_sniffing():
    response = download_response(b"%PDF-", filename="протокол.pdf", content_type=PDF)
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b"%PDF-"
