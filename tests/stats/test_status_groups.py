"""The report status groups are named once, on Report, and its QuerySet filters by them."""

import pytest

from stats.models import Report
from tests.helpers import make_organization, make_report

pytestmark = pytest.mark.django_db

S = Report.Status


def test_each_status_group_holds_what_its_name_says():
    organization = make_organization()
    reports = {
        status: make_report(organization, 2024, month, status=status)
        for month, status in enumerate([S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED, S.LOCKED], 1)
    }

    def statuses(queryset):
        return {r.status for r in queryset}

    assert statuses(Report.objects.editable()) == {S.DRAFT, S.RETURNED}
    assert statuses(Report.objects.counted()) == {S.ACCEPTED, S.LOCKED}
    assert statuses(Report.objects.handed_in()) == {S.SUBMITTED, S.ACCEPTED, S.LOCKED}
    # The instance properties read the same groups.
    for status, report in reports.items():
        assert report.is_editable == (status in {S.DRAFT, S.RETURNED})
        assert report.is_counted == (status in {S.ACCEPTED, S.LOCKED})
        assert report.is_handed_in == (status in {S.SUBMITTED, S.ACCEPTED, S.LOCKED})
