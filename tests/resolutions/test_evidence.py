"""Evidence files of progress entries: staff download them from the decision's page, no one else."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kernel import roles
from meetings.models import Meeting
from resolutions.models import ResolutionProgress
from resolutions.services import progress_entry_save
from tests.formscrape import form_data
from tests.helpers import (
    make_meeting,
    make_operator,
    make_organization,
    make_resolution,
    make_user,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%evidence of the decision\n"
LINK_TEXT = "Подтверждающий файл (только для сотрудников)"


def entry_with_file(*, status=Meeting.Status.PUBLISHED, name="otchet.pdf", content=PDF):
    meeting = make_meeting(datetime.date(2024, 5, 15), status=status)
    decision = make_resolution(meeting, 1, text="Подготовить сводный отчёт")
    return progress_entry_save(
        entry=ResolutionProgress(
            resolution=decision,
            date=datetime.date(2024, 9, 1),
            text="Отчёт направлен в ЦБС",
            evidence=SimpleUploadedFile(name, content),
        )
    )


def evidence_url(entry):
    return f"/resolutions/{entry.resolution_id}/evidence/{entry.pk}/"


def test_staff_download_the_evidence_as_a_private_download_judged_by_content(secretary_client):
    # A PDF named .html is stored and served as the PDF it is, never as a page.
    entry = entry_with_file(name="otchet.html")
    response = secretary_client.get(evidence_url(entry))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert 'filename="podtverzhdenie-2024-05-15-1-1-2024-09-01.pdf"' in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF


def test_the_public_and_operators_cannot_download_evidence(client):
    entry = entry_with_file()
    response = client.get(evidence_url(entry))
    assert response.status_code == 302
    assert "login" in response["Location"]
    client.force_login(make_operator(make_organization()))
    assert client.get(evidence_url(entry)).status_code == 403


def test_an_operator_learns_nothing_from_the_address_of_a_missing_entry(client):
    client.force_login(make_operator(make_organization()))
    assert client.get("/resolutions/999/evidence/999/").status_code == 403


def test_evidence_of_another_decision_or_without_a_file_is_404(secretary_client):
    entry = entry_with_file()
    other = make_resolution(entry.resolution.meeting, 2)
    assert secretary_client.get(f"/resolutions/{other.pk}/evidence/{entry.pk}/").status_code == 404
    bare = progress_entry_save(entry=ResolutionProgress(resolution=other, text="Без файла"))
    assert secretary_client.get(evidence_url(bare)).status_code == 404


def test_the_decision_page_links_the_evidence_for_staff_only(secretary_client):
    entry = entry_with_file()
    page = f"/resolutions/{entry.resolution_id}/"
    html = secretary_client.get(page).content.decode()
    assert f'href="{evidence_url(entry)}"' in html
    assert LINK_TEXT in html
    public = Client().get(page).content.decode()
    assert "Отчёт направлен в ЦБС" in public
    assert evidence_url(entry) not in public
    assert LINK_TEXT not in public


def test_the_centre_methodist_reads_evidence_as_she_reads_progress(client):
    entry = entry_with_file()
    client.force_login(make_user("centre", group=roles.CENTRE_METHODIST))
    assert client.get(evidence_url(entry)).status_code == 200


def test_evidence_uploaded_in_the_admin_is_downloaded_from_the_decision_page(secretary_client):
    decision = make_resolution(make_meeting(datetime.date(2024, 5, 15)), 1)
    url = f"/admin/resolutions/resolution/{decision.pk}/change/"
    data = form_data(secretary_client.get(url).content.decode(), "resolution_form")
    data.update(
        {
            "progress_entries-0-date": "01.09.2024",
            "progress_entries-0-text": "Положение утверждено",
            "progress_entries-0-evidence": SimpleUploadedFile("polozhenie.pdf", PDF),
        }
    )
    assert secretary_client.post(url, data).status_code == 302
    entry = decision.progress_entries.get()
    html = secretary_client.get(f"/resolutions/{decision.pk}/").content.decode()
    assert f'href="{evidence_url(entry)}"' in html
    assert b"".join(secretary_client.get(evidence_url(entry)).streaming_content) == PDF
