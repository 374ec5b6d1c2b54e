"""Public resolutions pages: filters, search, the item page, the extract and the export."""

import datetime
import io

import openpyxl
import pytest

from meetings.models import Meeting
from resolutions.models import Resolution, ResolutionProgress
from resolutions.services import progress_entry_save
from tests.helpers import make_archive, make_meeting, make_organization, make_resolution

pytestmark = pytest.mark.django_db


def test_list_shows_items_of_published_meetings_only(client, demo):
    draft = make_meeting(datetime.date(2025, 1, 1), status=Meeting.Status.DRAFT)
    make_resolution(draft, 1, text="Черновое решение")
    html = client.get("/resolutions/").content.decode()
    assert "Выразить благодарность директору" in html
    assert "Черновое решение" not in html
    assert 'href="/meetings/2021-06-23/"' in html


@pytest.mark.parametrize(
    ("params", "present", "absent"),
    [
        ({"kind": "gratitude"}, "Выразить благодарность", "Обеспечить регламентацию"),
        ({"kind": "decision"}, "Обеспечить регламентацию", "Выразить благодарность"),
        ({"status": "done"}, "Выполненное решение", "Обеспечить регламентацию"),
        ({"year": "2022"}, "Выполненное решение", "Выразить благодарность"),
        ({"q": "ГРАНТОВЫХ"}, "Проводить внутренние профессиональные конкурсы", "Выразить"),
        ({"overdue": "on"}, "Просроченное решение", "Выполненное решение"),
    ],
)
def test_list_filters(client, demo, params, present, absent):
    meeting = make_meeting(datetime.date(2022, 3, 3))
    make_resolution(meeting, 1, text="Выполненное решение", status="done")
    make_resolution(meeting, 2, text="Просроченное решение", due_date=datetime.date(2022, 4, 1))
    html = client.get("/resolutions/", params).content.decode()
    assert present in html
    assert absent not in html


def test_list_filters_by_organisation(client, demo):
    org = make_organization("ЦБС Тайгинского округа")
    meeting = make_meeting(datetime.date(2022, 3, 3))
    make_resolution(meeting, 1, text="Решение для Тайги").responsible_organizations.add(org)
    html = client.get("/resolutions/", {"organization": org.pk}).content.decode()
    assert "Решение для Тайги" in html
    assert "Выразить благодарность" not in html


@pytest.mark.parametrize("size", [5, 200])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, size):
    make_archive(size)
    # content version, years, organisations for the filter, count, page, organisations
    with django_assert_num_queries(6):
        client.get("/resolutions/")


def test_detail_shows_text_meeting_and_progress_timeline(client, demo):
    decision = demo.resolutions.get(section=Resolution.Section.DECISIONS, number=1)
    progress_entry_save(
        entry=ResolutionProgress(
            resolution=decision,
            date=datetime.date(2021, 9, 1),
            text="Разработано положение об учётной политике",
            new_status="in_progress",
        )
    )
    html = client.get(f"/resolutions/{decision.pk}/").content.decode()
    assert decision.text in html
    assert "Разработано положение об учётной политике" in html
    assert "1 сентября 2021 г." in html
    assert "выполняется" in html
    assert f'href="/resolutions/{decision.pk}/extract.pdf"' in html


def test_detail_of_a_draft_meeting_item_is_404(client):
    draft = make_meeting(status=Meeting.Status.DRAFT)
    item = make_resolution(draft, 1)
    assert client.get(f"/resolutions/{item.pk}/").status_code == 404
    assert client.get(f"/resolutions/{item.pk}/extract.pdf").status_code == 404


def test_extract_pdf_downloads(client, demo):
    item = demo.resolutions.get(section=Resolution.Section.RESOLVED, number=3)
    response = client.get(f"/resolutions/{item.pk}/extract.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_export_follows_the_filters(client, demo):
    response = client.get("/resolutions/export.xlsx", {"kind": "decision"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    texts = " ".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )
    assert "Обеспечить регламентацию" in texts
    assert "Выразить благодарность" not in texts
