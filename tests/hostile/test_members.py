"""Hostile input on the member and organisation pages, and in the minutes and the extract.

One part of the hostile-input suite (tests/hostile/__init__.py says what it covers).
"""

import pytest

from meetings.models import Attendance
from members.models import Member, Organization
from resolutions.models import Resolution
from tests.formscrape import form_data
from tests.helpers import (
    admit,
    make_meeting,
    make_member,
    make_municipality,
    make_organization,
    make_resolution,
    normalize,
)
from tests.hostile.common import (
    CONTROL,
    CYRILLIC,
    EMOJI,
    LONG,
    MARKUP,
    NUL,
    NUL_MESSAGE,
    ONERROR,
    SCRIPT,
    WEASYPRINT,
    assert_escaped,
    assert_nothing_outside,
    errors,
    fitting,
    limits_of,
    pdf_text,
)

pytestmark = pytest.mark.django_db

MEMBER_TEXT = {"last_name": 100, "first_name": 100, "patronymic": 100, "position": 300, "phone": 50}
ORGANIZATION_TEXT = {"short_name": 200, "full_name": 500}


def add_page(model):
    return f"/admin/members/{model._meta.model_name}/add/"


def post_add(client, model, values):
    url = add_page(model)
    data = form_data(client.get(url).content.decode(), f"{model._meta.model_name}_form")
    data.update(values)
    return client.post(url, data)


def member_values(organization, **changes):
    return {"last_name": "Петрова", "first_name": "Анна", "organization": str(organization.pk)} | (
        changes
    )


REFUSED_MEMBER = {
    "member-overlong": (Member, dict.fromkeys(MEMBER_TEXT, LONG), limits_of(MEMBER_TEXT)),
    "member-nul": (Member, dict.fromkeys(MEMBER_TEXT, NUL), {NUL_MESSAGE: len(MEMBER_TEXT)}),
    "member-values": (
        Member,
        {"email": "<script>@x", "joined_on": "1²2³", "organization": "999999"},
        {
            "Введите правильный адрес электронной почты.": 1,
            "Введите правильную дату.": 1,
            "Выберите корректный вариант.": 1,
        },
    ),
    "organization-overlong": (
        Organization,
        dict.fromkeys(ORGANIZATION_TEXT, LONG),
        limits_of(ORGANIZATION_TEXT),
    ),
    "organization-nul": (
        Organization,
        dict.fromkeys(ORGANIZATION_TEXT, NUL) | {"kind": SCRIPT},
        {NUL_MESSAGE: len(ORGANIZATION_TEXT), "Выберите корректный вариант.": 1},
    ),
}


@pytest.mark.parametrize("case", REFUSED_MEMBER)
def test_bad_input_on_the_member_and_organisation_pages_gets_a_message(
    secretary_client, organization, case
):
    model, changes, messages = REFUSED_MEMBER[case]
    before = model.objects.count()
    base = (
        member_values(organization)
        if model is Member
        else {"short_name": "ЦБС Новая", "kind": "cbs"}
    )
    response = post_add(secretary_client, model, base | changes)
    assert response.status_code == 200
    html = response.content.decode()
    assert {m: html.count(m) for m in messages} == messages, errors(html)
    assert model.objects.count() == before
    assert_escaped(response)


@pytest.mark.parametrize("kind", ["markup", "cyrillic", "emoji", "control"])
def test_hostile_names_of_members_and_organisations_are_kept_and_escaped(
    secretary_client, client, organization, kind
):
    def value(limit):
        if kind == "markup":
            return fitting(MARKUP, limit)
        return {"cyrillic": CYRILLIC, "emoji": EMOJI, "control": CONTROL}[kind][:limit]

    org_values = {f: value(n) for f, n in ORGANIZATION_TEXT.items()}
    response = post_add(secretary_client, Organization, org_values | {"kind": "cbs"})
    assert response.status_code == 302, response.content.decode()[:3000]
    new_org = Organization.objects.get(short_name=org_values["short_name"].strip())
    assert new_org.full_name == org_values["full_name"].strip()

    values = {f: value(n) for f, n in MEMBER_TEXT.items()}
    # A founder: public without minutes that admit her, so her page shows what was typed.
    response = post_add(secretary_client, Member, member_values(new_org, **values, is_founder="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    member = Member.objects.get(organization=new_org)
    for field, typed in values.items():
        assert getattr(member, field) == typed.strip()
    for url in ["/members/", f"/members/{member.pk}/", "/admin/members/member/"]:
        assert_escaped(secretary_client.get(url) if "admin" in url else client.get(url))


def test_hostile_names_reach_the_minutes_and_the_extract_as_text(client, outside):
    # Names typed on the member and organisation pages print in the minutes: the chair, the
    # venue, attendees, responsible organisations and admitted members.
    municipality = make_municipality(fitting(MARKUP, 200))
    organization = make_organization(fitting(MARKUP, 200), municipality=municipality)
    organization.full_name = fitting(reversed(MARKUP), 500)
    organization.save()
    member = make_member(
        SCRIPT, first_name=ONERROR, patronymic=WEASYPRINT[0], organization=organization
    )
    meeting = make_meeting(venue=organization, chair=member, secretary=member)
    Attendance.objects.create(meeting=meeting, member=member)
    resolution = make_resolution(meeting, 1, kind=Resolution.Kind.ADMISSION, text="Принять")
    resolution.responsible_organizations.add(organization)
    admit(resolution, member)

    minutes, _reader = pdf_text(client.get(f"/meetings/{meeting.slug}/minutes.pdf"))
    extract, _reader = pdf_text(client.get(f"/resolutions/{resolution.pk}/extract.pdf"))
    for text in (minutes, extract):
        assert normalize(member.full_name) in text
        assert normalize(organization.short_name) in text
        assert normalize(organization.full_name) in text  # the venue heads every page
    assert_nothing_outside(outside)
    assert_escaped(client.get(f"/meetings/{meeting.slug}/"))
    assert_escaped(client.get(f"/members/{member.pk}/"))
