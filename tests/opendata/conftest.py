"""The data the API's tests read: public and private side by side."""

import datetime

from meetings.models import Meeting
from stats.models import Report
from tests.helpers import (
    CLEAN_JUNE,
    admit,
    make_agenda_item,
    make_meeting,
    make_member,
    make_organization,
    make_report,
    make_resolution,
)

SECRET_EMAIL = "tainaya.pochta@example.org"
SECRET_PHONE = "+7 913 000-11-22"
DRAFT_TEXT = "Черновое решение, которое никто не должен видеть"


def open_data_set():
    """A published meeting with agenda, items and an admission; a draft meeting with its own
    item and admitted member; accepted, locked, draft, returned and submitted reports."""
    org = make_organization("ЦБС Открытая")
    founder = make_member(
        "Основательница", organization=org, is_founder=True, email=SECRET_EMAIL, phone=SECRET_PHONE
    )
    meeting = make_meeting(datetime.date(2024, 5, 20), venue=org)
    make_agenda_item(meeting, 1, "О работе летом")
    decision = make_resolution(meeting, text="Провести акцию под открытым небом")
    decision.responsible_organizations.add(org)
    admission = make_resolution(meeting, kind="admission", text="Принять в члены Клуба")
    admit(admission, make_member("Принятая", organization=org, email=SECRET_EMAIL))
    draft = make_meeting(datetime.date(2024, 9, 1), status=Meeting.Status.DRAFT)
    make_resolution(draft, text=DRAFT_TEXT)
    hidden = make_resolution(draft, kind="admission", text=DRAFT_TEXT)
    admit(hidden, make_member("Черновикова", organization=org, phone=SECRET_PHONE))
    others = [make_organization(f"ЦБС {name}") for name in ("Вторая", "Третья", "Четвёртая")]
    make_report(org, 2024, 6, CLEAN_JUNE, status=Report.Status.ACCEPTED)
    make_report(org, 2024, 7, CLEAN_JUNE, status=Report.Status.LOCKED)
    secret = dict.fromkeys(CLEAN_JUNE, 777_777)
    make_report(others[0], 2024, 6, secret, status=Report.Status.DRAFT)
    make_report(others[1], 2024, 6, secret, status=Report.Status.RETURNED)
    make_report(others[2], 2024, 6, secret, status=Report.Status.SUBMITTED)
    return {"meeting": meeting, "draft": draft, "founder": founder, "org": org}
