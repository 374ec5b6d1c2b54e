"""The reminders due today, as plain data: to operators about their library's reports, to
the responsible person of a decision about its deadline.

Each reminder has a key that names it once and for all («report_due:org:form:2026-05:user»),
so that `manage.py send_reminders` may run any number of times a day: the sent-log
(SentNotice) refuses a key that already went out.

- An operator (an active members.OperatorAccount user with an e-mail) hears of each month her
  library owes and has not handed in (stats.collection.operator_todo): from
  settings.NOTICES_REPORT_DAYS days before its due date, once; once more when it is overdue;
  and once for each return of a report by the centre, with the centre's comment.
- The responsible person (notices.DecisionContact) of an open decision of published minutes
  hears of it from settings.NOTICES_DECISION_DAYS days before its deadline, and once when it
  is overdue; a deadline moved later starts both again.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from members.models import OperatorAccount
from resolutions.models import Resolution
from stats.collection import operator_todo
from stats.models import FormTemplate, Report, ReportTransition

from . import letters
from .models import DecisionContact, SentNotice


@dataclass(frozen=True)
class Reminder:
    key: str
    kind: str
    letter: letters.Letter


def report_reminders(today: datetime.date) -> list[Reminder]:
    accounts = list(
        OperatorAccount.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "organization")
        .order_by("organization_id", "user_id")
    )
    versions = list(FormTemplate.objects.approved().order_by("code", "version"))
    ahead = datetime.timedelta(days=settings.NOTICES_REPORT_DAYS)
    todos = {}
    for account in accounts:
        if account.organization_id not in todos:
            todos[account.organization_id] = operator_todo(
                account.organization, today=today, versions=versions
            ).items
    returned = [item.report.pk for items in todos.values() for item in items if item.is_returned]
    returns = dict(
        ReportTransition.objects.filter(report__in=returned, to_status=Report.Status.RETURNED)
        .order_by()
        .values_list("report")
        .annotate(last=Max("pk"))
    )
    found = []
    for account in accounts:
        user, organization = account.user, account.organization
        for item in todos[account.organization_id]:
            month = f"{item.code}:{item.year}-{item.month:02d}"
            details = {
                "to": user.email,
                "organization": organization,
                "form_name": item.form_name,
                "year": item.year,
                "month": item.month,
                "due_date": item.due_date,
            }
            if item.is_returned:
                # Each return once: named by its status change (by the report's version
                # where none was recorded).
                report = item.report
                step = returns.get(report.pk) or f"v{report.version}"
                key = f"report_returned:{report.pk}:{step}:{user.pk}"
                letter = letters.report_letter("report_returned", comment=report.comment, **details)
                found.append(Reminder(key, SentNotice.Kind.REPORT_RETURNED, letter))
            if item.days_overdue > 0:
                key = f"report_overdue:{organization.pk}:{month}:{user.pk}"
                letter = letters.report_letter("report_overdue", **details)
                found.append(Reminder(key, SentNotice.Kind.REPORT_OVERDUE, letter))
            elif today <= item.due_date <= today + ahead and not item.is_returned:
                key = f"report_due:{organization.pk}:{month}:{user.pk}"
                letter = letters.report_letter("report_due", **details)
                found.append(Reminder(key, SentNotice.Kind.REPORT_DUE, letter))
    return found


def decision_reminders(today: datetime.date) -> list[Reminder]:
    ahead = today + datetime.timedelta(days=settings.NOTICES_DECISION_DAYS)
    contacts = (
        DecisionContact.objects.filter(
            resolution__in=Resolution.objects.published().open_decisions(),
            resolution__due_date__lte=ahead,
        )
        .select_related("resolution__meeting")
        .prefetch_related("resolution__responsible_organizations")
        .order_by("resolution__due_date", "pk")
    )
    found = []
    for contact in contacts:
        resolution = contact.resolution
        due = resolution.due_date
        name, kind = (
            ("decision_overdue", SentNotice.Kind.DECISION_OVERDUE)
            if due < today
            else ("decision_due", SentNotice.Kind.DECISION_DUE)
        )
        key = f"{name}:{resolution.pk}:{due.isoformat()}:{contact.email.lower()}"
        letter = letters.decision_letter(name, to=contact.email, resolution=resolution)
        found.append(Reminder(key, kind, letter))
    return found


def reminders_due(today: datetime.date | None = None) -> list[Reminder]:
    """Every reminder due today that the sent-log does not hold yet."""
    today = today or timezone.localdate()
    found = report_reminders(today) + decision_reminders(today)
    sent = set(
        SentNotice.objects.filter(key__in=[r.key for r in found]).values_list("key", flat=True)
    )
    return [r for r in found if r.key not in sent]
