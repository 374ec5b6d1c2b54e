"""Who may do what: one test per cell of the README's permission table.

Roles: anonymous, library operator (bound to one organisation), club secretary, centre
methodist, superuser. «login» means a redirect to the login page; 404 hides what exists.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kernel import roles
from meetings.models import Meeting
from members.models import OperatorAccount
from resolutions.models import Resolution, ResolutionProgress
from resolutions.services import progress_entry_save
from stats.models import FormTemplate, Report
from stats.services import period_for
from tests.helpers import (
    admit,
    make_meeting,
    make_member,
    make_organization,
    make_resolution,
    make_user,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "operator", "secretary", "centre", "superuser"]
LOGIN = "login"

# page → expected answer per role, in the order of ROLES
TABLE = {
    "/": [200, 200, 200, 200, 200],
    "/meetings/": [200, 200, 200, 200, 200],
    "published meeting": [200, 200, 200, 200, 200],
    "published minutes.pdf": [200, 200, 200, 200, 200],
    "draft meeting": [404, 404, 200, 200, 200],
    "draft minutes.pdf": [404, 404, 200, 200, 200],
    "draft minutes.xlsx": [404, 404, 200, 200, 200],
    "/resolutions/": [200, 200, 200, 200, 200],
    "/resolutions/export.xlsx": [200, 200, 200, 200, 200],
    "/resolutions/progress/": [200, 200, 200, 200, 200],
    "/resolutions/progress.pdf": [200, 200, 200, 200, 200],
    "evidence file of a published decision": [LOGIN, 403, 200, 200, 200],
    "evidence file of a draft decision": [LOGIN, 403, 200, 200, 200],
    "/members/": [200, 200, 200, 200, 200],
    "member admitted only by a draft": [404, 404, 200, 200, 200],
    "certificate of a member": [200, 200, 200, 200, 200],
    "certificate of a member admitted only by a draft": [404, 404, 200, 403, 200],
    "/search/": [200, 200, 200, 200, 200],
    "/stats/": [200, 200, 200, 200, 200],
    "/accounts/password_reset/": [200, 200, 200, 200, 200],
    "/stats/reports/": [LOGIN, 200, 404, 404, 404],
    "own report": [LOGIN, 200, 404, 404, 404],
    "other organisation's report": [LOGIN, 404, 404, 404, 404],
    "PDF of an own submitted report": [LOGIN, 200, 404, 404, 404],
    "PDF of another organisation's report": [LOGIN, 404, 404, 404, 404],
    "/stats/review/": [LOGIN, 403, 403, 200, 200],
    "/stats/review/queue/": [LOGIN, 403, 403, 200, 200],
    "review of a report": [LOGIN, 403, 403, 200, 200],
    "/stats/review/enter/": [LOGIN, 403, 403, 200, 200],
    "entering a report for a library": [LOGIN, 403, 403, 200, 200],
    "/stats/review/operators/": [LOGIN, 403, 403, 200, 200],
    "/stats/export/accepted.xlsx": [LOGIN, 403, 403, 200, 200],
    "/stats/export/summary-2025.xlsx": [LOGIN, 403, 403, 200, 200],
    "/admin/": [LOGIN, LOGIN, 200, 200, 200],
    "admin: add meeting": [LOGIN, LOGIN, 200, 403, 200],
    "admin: change meeting": [LOGIN, LOGIN, 200, 200, 200],
    "admin: upload minutes": [LOGIN, LOGIN, 200, 403, 200],
    "admin: add member": [LOGIN, LOGIN, 200, 403, 200],
    "admin: statistics reports": [LOGIN, LOGIN, 403, 200, 200],
    "admin: add form version": [LOGIN, LOGIN, 403, 200, 200],
}

# admin actions on the meeting list → did it take effect, per role
ACTIONS = {
    "publish": [False, False, True, False, True],
    "delete_selected": [False, False, True, False, True],
    "download_pdf": [False, False, True, True, True],
    "add_progress_item": [False, False, True, False, True],
}
# the centre's actions on the statistics pages → did it take effect, per role
CENTRE_ACTIONS = {
    "enter figures for a library": [False, False, False, True, True],
    "create an operator account": [False, False, False, True, True],
    "send a set-password link": [False, False, False, True, True],
}


@pytest.fixture
def world(db):
    organization = make_organization("ЦБС оператора")
    other = make_organization("ЦБС соседей")
    form = FormTemplate.objects.get(code="VS", version=1)
    period = period_for(year=2025, month=6)
    own = Report.objects.create(organization=organization, form=form, period=period)
    foreign = Report.objects.create(organization=other, form=form, period=period)
    handed_in = Report.objects.create(
        organization=organization, form=form, period=period_for(year=2025, month=5)
    )
    Report.objects.filter(pk__in=[handed_in.pk, foreign.pk]).update(status=Report.Status.SUBMITTED)
    published = make_meeting(datetime.date(2024, 5, 5))
    make_resolution(published, 1)
    draft = make_meeting(datetime.date(2025, 5, 5), status=Meeting.Status.DRAFT)
    # Another draft, with items: the draft above is the one the actions publish and delete.
    draft_with_items = make_meeting(datetime.date(2025, 6, 6), status=Meeting.Status.DRAFT)
    newcomer = make_member("Новикова")
    member = make_member("Старожилова", is_founder=True)
    admit(make_resolution(draft_with_items, 1, kind=Resolution.Kind.ADMISSION), newcomer)
    evidence = {
        name: progress_entry_save(
            entry=ResolutionProgress(
                resolution=make_resolution(meeting, 2),
                text="Сделано",
                evidence=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%evidence\n"),
            )
        )
        for name, meeting in [("published", published), ("draft", draft_with_items)]
    }
    users = {
        "anonymous": None,
        "operator": make_user("op", staff=False),
        "secretary": make_user("sec", group=roles.SECRETARY),
        "centre": make_user("cen", group=roles.CENTRE_METHODIST),
        "superuser": make_user("root", superuser=True),
    }
    users["operator"].groups.add(
        __import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.get(
            name=roles.LIBRARY_OPERATOR
        )
    )
    OperatorAccount.objects.create(user=users["operator"], organization=organization)
    urls = {
        "published meeting": published.get_absolute_url(),
        "published minutes.pdf": f"{published.get_absolute_url()}minutes.pdf",
        "draft meeting": draft.get_absolute_url(),
        "draft minutes.pdf": f"{draft.get_absolute_url()}minutes.pdf",
        "draft minutes.xlsx": f"{draft.get_absolute_url()}minutes.xlsx",
        "member admitted only by a draft": newcomer.get_absolute_url(),
        "certificate of a member": f"{member.get_absolute_url()}certificate.pdf",
        "certificate of a member admitted only by a draft": (
            f"{newcomer.get_absolute_url()}certificate.docx"
        ),
        **{
            f"evidence file of a {name} decision": reverse(
                "resolutions:evidence", args=[entry.resolution_id, entry.pk]
            )
            for name, entry in evidence.items()
        },
        "own report": f"/stats/reports/{own.pk}/",
        "other organisation's report": f"/stats/reports/{foreign.pk}/",
        "review of a report": f"/stats/review/{own.pk}/",
        "PDF of an own submitted report": f"/stats/reports/{handed_in.pk}/report.pdf",
        "PDF of another organisation's report": f"/stats/reports/{foreign.pk}/report.pdf",
        "entering a report for a library": f"/stats/review/{own.pk}/enter/",
        "admin: add meeting": "/admin/meetings/meeting/add/",
        "admin: change meeting": f"/admin/meetings/meeting/{published.pk}/change/",
        "admin: upload minutes": "/admin/meetings/meeting/import/",
        "admin: add member": "/admin/members/member/add/",
        "admin: statistics reports": "/admin/stats/report/",
        "admin: add form version": "/admin/stats/formtemplate/add/",
    }
    return {
        "users": users,
        "urls": urls,
        "draft": draft,
        "published": published,
        "own": own,
        "organization": organization,
    }


def login_as(client, user):
    if user is not None:
        client.force_login(user)


CELLS = [
    (page, role, expected)
    for page, row in TABLE.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@pytest.mark.parametrize(("page", "role", "expected"), CELLS, ids=[f"{p}|{r}" for p, r, _ in CELLS])
def test_page_by_role(client, world, page, role, expected):
    login_as(client, world["users"][role])
    response = client.get(world["urls"].get(page, page))
    if expected == LOGIN:
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code == expected


ACTION_CELLS = [(a, r, e) for a, row in ACTIONS.items() for r, e in zip(ROLES, row, strict=True)]


@pytest.mark.parametrize(
    ("action", "role", "takes_effect"), ACTION_CELLS, ids=[f"{a}|{r}" for a, r, _ in ACTION_CELLS]
)
def test_admin_action_by_role(client, world, action, role, takes_effect):
    login_as(client, world["users"][role])
    target = world["draft"]
    data = {"action": action, "_selected_action": [target.pk]}
    if action == "delete_selected":
        data["post"] = "yes"
    response = client.post("/admin/meetings/meeting/", data)
    if action == "publish":
        target.refresh_from_db()
        assert target.is_published is takes_effect
    elif action == "delete_selected":
        assert Meeting.objects.filter(pk=target.pk).exists() is not takes_effect
    elif action == "add_progress_item":
        assert target.agenda_items.exists() is takes_effect
    else:
        assert (response.get("Content-Type") == "application/pdf") is takes_effect


CENTRE_CELLS = [
    (a, r, e) for a, row in CENTRE_ACTIONS.items() for r, e in zip(ROLES, row, strict=True)
]


@pytest.mark.parametrize(
    ("action", "role", "takes_effect"), CENTRE_CELLS, ids=[f"{a}|{r}" for a, r, _ in CENTRE_CELLS]
)
def test_centre_action_by_role(client, world, action, role, takes_effect):
    from django.core import mail

    from members.services import operator_account_create
    from stats.models import Value

    login_as(client, world["users"][role])
    own = world["own"]
    if action == "enter figures for a library":
        data = {"version": str(own.version), "VS.LOANS": "77", "entry_source": "phone"}
        client.post(f"/stats/review/{own.pk}/enter/", data | {"save_draft": "1"})
        saved = Value.objects.filter(report=own, indicator__code="VS.LOANS", value=77).exists()
        assert saved is takes_effect
    elif action == "create an operator account":
        data = {
            "organization": str(world["organization"].pk),
            "last_name": "Новая",
            "username": "new-operator",
            "how": "password",
            "password1": "Кузбасс-2026-пароль",
            "password2": "Кузбасс-2026-пароль",
        }
        client.post("/stats/review/operators/", data)
        assert OperatorAccount.objects.filter(user__username="new-operator").exists() is (
            takes_effect
        )
    else:
        account = operator_account_create(
            organization=world["organization"],
            username="lost-link",
            first_name="",
            last_name="Забыла",
            email="lost@library.example.ru",
        )
        client.post(f"/stats/review/operators/{account.pk}/letter/")
        assert bool(mail.outbox) is takes_effect


def test_bulk_delete_respects_protected_resolutions(client, world):
    login_as(client, world["users"]["superuser"])
    published = world["published"]
    client.post(
        "/admin/meetings/meeting/",
        {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"},
    )
    assert Meeting.objects.filter(pk=published.pk).exists()


def test_readme_table_matches_these_tests():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Who may do what", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0] not in ("page or action", "---"):
            rows[cells[0]] = cells[1:]
    expected = {page: [str(v) for v in row] for page, row in TABLE.items()}
    expected.update(
        {f"admin action: {a}": ["yes" if v else "no" for v in row] for a, row in ACTIONS.items()}
    )
    expected.update(
        {f"action: {a}": ["yes" if v else "no" for v in row] for a, row in CENTRE_ACTIONS.items()}
    )
    assert rows == expected


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("operator", "/stats/reports/"),
        ("centre", "/stats/review/"),
        ("secretary", "/admin/"),
        ("superuser", "/stats/review/"),
    ],
)
def test_each_role_lands_on_its_own_work_after_login(client, world, role, landing):
    login_as(client, world["users"][role])
    response = client.get("/accounts/welcome/")
    assert response.status_code == 302
    assert response["Location"] == landing
