"""Hostile input in an operator's report and the centre's review.

One part of the hostile-input suite (tests/hostile/__init__.py says what it covers).
"""

import pytest

from stats.models import Report, Value
from tests.formscrape import form_data
from tests.helpers import (
    make_report,
)
from tests.hostile.common import (
    CYRILLIC,
    EMOJI,
    LONG,
    NUL,
    NUL_MESSAGE,
    ONERROR,
    POINTS,
    SCRIPT,
    assert_escaped,
    stored_figure,
)

pytestmark = pytest.mark.django_db


def post_report(client, report, changes):
    url = f"/stats/reports/{report.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.content.decode(), "report-form")
    data.update(changes)
    data["save_draft"] = "1"
    return client.post(url, data)


FIGURES = [
    ("1e9999", None),
    ("NaN", None),
    ("inf", None),
    ("0x10", None),
    ("1,5", None),
    ("-5", None),
    (EMOJI, None),
    (NUL, None),
    (SCRIPT, None),
    (ONERROR, None),
    ("1e308", None),
    (str(2**63), None),
    (LONG, None),
    ("１２", 12),
    ("12 345", 12345),
    ("12\u00a0345", 12345),
    ("-0", 0),
    (" 7 ", 7),
    ("²", None),
    ("9" * 10_001, None),
]


@pytest.mark.parametrize(("raw", "expected"), FIGURES, ids=lambda v: repr(v)[:14])
def test_a_figure_typed_in_the_report_is_a_whole_number_or_a_message(
    operator_client, report, raw, expected
):
    response = post_report(operator_client, report, {POINTS: raw})
    if expected is None:
        assert response.status_code == 200
        assert "Ничего не сохранено" in response.content.decode()
        assert_escaped(response)
        assert stored_figure(report) is None
    else:
        assert response.status_code == 302
        assert stored_figure(report) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [(LONG, "не более 2000 символов"), (NUL, NUL_MESSAGE), (SCRIPT, None), (CYRILLIC, None)],
    ids=["long", "nul", "script", "cyrillic"],
)
def test_an_explanation_is_kept_as_text_or_refused_with_a_message(
    operator_client, report, text, message
):
    # None left of last June's 5: a warning, which the explanation answers (one without a
    # warning to explain is not kept).
    make_report(report.organization, 2024, 6, {POINTS: 5}, status="accepted")
    response = post_report(operator_client, report, {POINTS: "0", f"explain_{POINTS}": text})
    if message:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Value.objects.filter(report=report).exists()
    else:
        assert response.status_code == 302
        assert Value.objects.get(report=report, indicator__code=POINTS).explanation == text
        assert_escaped(operator_client.get(f"/stats/reports/{report.pk}/"))


@pytest.mark.parametrize(
    "data",
    [
        {"form": "999999", "year": "abc", "month": "13"},
        {"form": SCRIPT, "year": "²", "month": NUL},
        {"form": ONERROR, "year": "9" * 5000, "month": "-1"},
    ],
    ids=["numbers", "script", "long"],
)
def test_opening_a_report_with_garbage_gets_a_message(operator_client, report, data):
    response = operator_client.post("/stats/reports/new/", data)
    assert response.status_code == 200
    assert "Выберите корректный вариант." in response.content.decode()
    assert_escaped(response)
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("comment", "message"),
    [(NUL, NUL_MESSAGE), (SCRIPT, None), (LONG + EMOJI, None)],
    ids=["nul", "script", "long"],
)
def test_the_centres_comment_is_kept_as_text_or_refused(
    client, centre_methodist, operator, report, comment, message
):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    client.force_login(centre_methodist)
    response = client.post(f"/stats/review/{report.pk}/return/", {"comment": comment})
    report.refresh_from_db()
    if message:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert report.status == Report.Status.SUBMITTED
    else:
        assert response.status_code == 302
        assert report.comment == comment
        assert_escaped(client.get(f"/stats/review/{report.pk}/"))
        client.force_login(operator)
        assert_escaped(client.get("/stats/reports/"))
        assert_escaped(client.get(f"/stats/reports/{report.pk}/"))
