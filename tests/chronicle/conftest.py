"""A demo member with a record: the seed meeting admits her, she attends it and a later
meeting, speaks there, is thanked and answers for a decision; a draft names her too."""

import datetime

import pytest

from meetings.models import AgendaItem, Attendance, Meeting
from members.models import Member
from resolutions.models import Resolution
from tests.helpers import make_meeting, make_resolution

LATER = datetime.date(2022, 4, 14)
GRATITUDE = (
    "Выразить благодарность методисту ЦБС Киселевского городского округа Андреевой Елене "
    "Александровне за подготовку обзора внестационарной работы."
)
DECISION = "Подготовить методические рекомендации по организации летних читальных залов."


@pytest.fixture
def andreeva(demo) -> Member:
    """The demo's Андреева Е. А. with a record in two published meetings and one draft."""
    member = Member.objects.get(last_name="Андреева")
    member.email, member.phone = "andreeva@example.ru", "+7 900 000-00-00"
    member.save()
    Attendance.objects.create(meeting=demo, member=member)
    later = make_meeting(LATER, title="Заседание Клуба деловых встреч методистов Кузбасса")
    Attendance.objects.create(meeting=later, member=member, role=Attendance.Role.SPEAKER)
    AgendaItem.objects.create(
        meeting=later,
        order=1,
        title="О ходе выполнения решений заседания Клуба от 23 июня 2021 г.",
        speakers="Андреева Е. А., Кентнер Н. Е.",
    )
    AgendaItem.objects.create(meeting=later, order=2, title="Разное", speakers="Андреев П. С.")
    make_resolution(later, 1, kind=Resolution.Kind.GRATITUDE, text=GRATITUDE)
    # Another Андреева: the same surname, another first name.
    make_resolution(
        later,
        2,
        kind=Resolution.Kind.GRATITUDE,
        text="Выразить благодарность Андреевой Марии Ивановне за помощь.",
    )
    make_resolution(
        later,
        1,
        section=Resolution.Section.DECISIONS,
        kind=Resolution.Kind.DECISION,
        text=DECISION,
        responsible_person="Андреева Е. А.",
        due_date=datetime.date(2022, 12, 1),
        status=Resolution.Status.IN_PROGRESS,
    )
    draft = make_meeting(datetime.date(2023, 3, 3), status=Meeting.Status.DRAFT, title="Черновик")
    Attendance.objects.create(meeting=draft, member=member)
    make_resolution(
        draft,
        1,
        kind=Resolution.Kind.GRATITUDE,
        text="Выразить благодарность Андреевой Елене Александровне за черновую работу.",
    )
    return member
