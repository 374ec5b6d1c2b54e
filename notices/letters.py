"""The letters the portal sends, composed from templates: plain text, HTML and a subject.

Every letter of a subscription carries its unsubscribe link in the text and in the
`List-Unsubscribe` and `List-Unsubscribe-Post` headers (RFC 8058: a mail client's one-click
unsubscribe POSTs to it). A letter is plain data (`Letter`), so that a task can carry it.
"""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.dates import MONTHS

from kernel.dates import long_date
from kernel.links import absolute_url

from . import tokens


@dataclass(frozen=True)
class Letter:
    to: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Letter":
        return cls(**data)

    def message(self) -> EmailMultiAlternatives:
        headers = {}
        if self.unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{self.unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = EmailMultiAlternatives(self.subject, self.text, None, [self.to], headers=headers)
        message.attach_alternative(self.html, "text/html")
        return message


def compose(name: str, context: dict, *, to: str, unsubscribe_url: str = "") -> Letter:
    """templates/notices/email/<name>.txt, .html and _subject.txt, in the portal's language."""
    context = {
        **context,
        "club_name": settings.CLUB_NAME,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"notices/email/{name}_subject.txt", context)
        text = render_to_string(f"notices/email/{name}.txt", context)
        html = render_to_string(f"notices/email/{name}.html", context)
    return Letter(
        to=to,
        subject=" ".join(subject.split()),
        text=text.strip() + "\n",
        html=html,
        unsubscribe_url=unsubscribe_url,
    )


def unsubscribe_url(subscription) -> str:
    return absolute_url(
        reverse("notices:unsubscribe", args=[tokens.unsubscribe_token(subscription)])
    )


def confirmation_letter(*, email: str, token: str) -> Letter:
    context = {
        "confirm_url": absolute_url(reverse("notices:confirm", args=[token])),
        "hours": settings.NOTICES_CONFIRM_HOURS,
    }
    return compose("confirm", context, to=email)


@dataclass(frozen=True)
class Decision:
    """A decision as a letter names it."""

    number: str
    text: str
    responsible: str
    due: str
    url: str


def decisions_of(resolutions) -> list[Decision]:
    return [
        Decision(
            number=str(r.number or ""),
            text=r.text,
            responsible=str(r.responsible),
            due=long_date(r.due_date) if r.due_date else "",
            url=absolute_url(r.get_absolute_url()),
        )
        for r in resolutions
    ]


def minutes_letter(*, meeting, decisions: list[Decision], subscription, everything: bool) -> Letter:
    """The letter of newly published minutes; `everything`: the subscriber follows all the
    minutes (else only the decisions of her organisations are listed)."""
    context = {
        "meeting": meeting,
        "date": long_date(meeting.date),
        "decisions": decisions,
        "everything": everything,
        "page_url": absolute_url(meeting.get_absolute_url()),
        "pdf_url": absolute_url(reverse("meetings:minutes_pdf", args=[meeting.slug])),
    }
    return compose(
        "minutes", context, to=subscription.email, unsubscribe_url=unsubscribe_url(subscription)
    )


def report_letter(
    name: str,
    *,
    to: str,
    organization,
    form_name: str,
    year: int,
    month: int,
    due_date: datetime.date,
    comment: str = "",
) -> Letter:
    context = {
        "organization": organization.display_full_name,
        "form_name": form_name,
        "period": translation.pgettext("month and year", "%(month)s %(year)s")
        % {"month": _month_name(month), "year": year},
        "due": long_date(due_date),
        "comment": comment,
        "reports_url": absolute_url(reverse("stats:my_reports")),
    }
    return compose(name, context, to=to)


def decision_letter(name: str, *, to: str, resolution) -> Letter:
    meeting = resolution.meeting
    context = {
        "decision": decisions_of([resolution])[0],
        "meeting_date": long_date(meeting.date),
        "meeting_title": meeting.title,
        "due": long_date(resolution.due_date),
    }
    return compose(name, context, to=to)


def _month_name(month: int) -> str:
    return str(MONTHS[month]).lower()
