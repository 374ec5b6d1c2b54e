"""Rules of the minutes held by the database and explained in Russian: each bad input."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from resolutions.forms import ResolutionAdminForm
from resolutions.models import Admission, Resolution
from tests.helpers import admit, make_meeting, make_member, make_organization, make_resolution

pytestmark = pytest.mark.django_db


def test_same_section_and_number_twice_is_refused_by_the_database():
    meeting = make_meeting()
    make_resolution(meeting, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.create(
            meeting=meeting, section=Resolution.Section.RESOLVED, number=1, text="Дубль"
        )
    assert meeting.resolutions.count() == 1


def test_same_section_and_number_twice_gets_a_clear_message():
    meeting = make_meeting()
    make_resolution(meeting, 1)
    duplicate = Resolution(
        meeting=meeting, section=Resolution.Section.RESOLVED, number=1, text="Дубль"
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "В этом разделе протокола уже есть пункт с таким номером." in str(error.value)


def test_the_same_number_in_the_other_section_is_fine():
    meeting = make_meeting()
    make_resolution(meeting, 1, section=Resolution.Section.RESOLVED)
    other = make_resolution(meeting, 1, section=Resolution.Section.DECISIONS)
    assert other.number == 1


def test_a_blank_number_becomes_the_next_in_its_section():
    meeting = make_meeting()
    make_resolution(meeting, 1)
    make_resolution(meeting, 2)
    assert make_resolution(meeting).number == 3
    assert make_resolution(meeting, section=Resolution.Section.DECISIONS).number == 1


def test_a_member_cannot_be_admitted_twice_in_the_database():
    meeting = make_meeting()
    member = make_member()
    first = make_resolution(meeting, 1, kind=Resolution.Kind.ADMISSION)
    second = make_resolution(meeting, 2, kind=Resolution.Kind.ADMISSION)
    admit(first, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Admission.objects.create(resolution=second, member=member)
    assert Admission.objects.count() == 1


def test_admitting_a_member_already_admitted_names_the_earlier_minutes():
    earlier = make_meeting(datetime.date(2021, 6, 23))
    member = make_member("Девятых", first_name="Ирина", patronymic="Анатольевна")
    admit(make_resolution(earlier, 3, kind=Resolution.Kind.ADMISSION), member)
    later = make_meeting(datetime.date(2022, 6, 1))
    form = ResolutionAdminForm(
        data={
            "meeting": later.pk,
            "section": Resolution.Section.RESOLVED,
            "number": 1,
            "kind": Resolution.Kind.ADMISSION,
            "text": "Ввести в состав Клуба",
            "status": Resolution.Status.ADOPTED,
        }
    )
    form.fields["admitted"] = _plain_admitted_field()
    form.data = {**form.data, "admitted": [member.pk]}
    assert not form.is_valid()
    assert form.errors["admitted"] == [
        "Девятых Ирина Анатольевна уже принят(а) в Клуб: протокол от 23 июня 2021 г., п. 3."
    ]
    assert Resolution.objects.filter(meeting=later).count() == 0


def _plain_admitted_field():
    from django import forms

    from members.models import Member

    return forms.ModelMultipleChoiceField(queryset=Member.objects.all(), required=False)


def test_a_due_date_before_the_meeting_is_refused_with_the_meeting_date():
    meeting = make_meeting(datetime.date(2021, 6, 23))
    resolution = Resolution(
        meeting=meeting,
        section=Resolution.Section.DECISIONS,
        number=1,
        kind=Resolution.Kind.DECISION,
        text="Обеспечить регламентацию",
        due_date=datetime.date(2021, 6, 1),
    )
    with pytest.raises(ValidationError) as error:
        resolution.full_clean()
    assert error.value.message_dict["due_date"] == [
        "Срок исполнения не может быть раньше даты заседания (23 июня 2021 г.)."
    ]


def test_deleting_a_meeting_with_resolutions_is_refused():
    meeting = make_meeting()
    make_resolution(meeting, 1)
    with pytest.raises(ProtectedError):
        meeting.delete()
    assert meeting.resolutions.count() == 1


def test_deleting_an_organisation_with_members_is_refused():
    organization = make_organization()
    make_member(organization=organization)
    with pytest.raises(ProtectedError):
        organization.delete()


def test_a_progress_entry_with_a_status_moves_the_decision():
    from resolutions.models import ResolutionProgress
    from resolutions.services import progress_entry_save

    resolution = make_resolution(make_meeting(), 1)
    progress_entry_save(
        entry=ResolutionProgress(
            resolution=resolution, text="Разработано положение", new_status="in_progress"
        )
    )
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.IN_PROGRESS
