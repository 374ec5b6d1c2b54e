"""«О ходе выполнения решений…» on the agenda of the next meeting: the secretary's one action.

The item names the meetings whose decisions are still open and links to the report as of the
day it was added; it opens the agenda, as the club's minutes have it. Adding it again adds
nothing: an item whose question already starts «О ходе выполнения решений» is the one.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.dates import long_date
from kernel.links import absolute_url
from meetings.models import AgendaItem, Meeting

from .progress import as_of, open_items, progress_summary, progress_title

PUBLISHED_MESSAGE = gettext_lazy(
    "The minutes of %(meeting)s are published: their agenda is not changed. Return them to "
    "drafts first, or add the question to the next meeting's draft."
)
TITLE_LENGTH = AgendaItem._meta.get_field("title").max_length


class ProgressItemRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class ProgressItem:
    item: AgendaItem
    created: bool


def item_prefix() -> str:
    """How every such question starts, whoever typed it: what finds one already there."""
    return _("On the progress of the decisions")


def _folded(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").casefold().split())


def existing_progress_item(items) -> AgendaItem | None:
    prefix = _folded(item_prefix())
    return next((i for i in items if _folded(i.title).startswith(prefix)), None)


def item_title(dates: list[datetime.date]) -> str:
    """«О ходе выполнения решений заседания Клуба от 23 июня 2021 г.» (several: «заседаний
    … от 23 июня 2021 г. и 14 апреля 2022 г.»), or the report's own title where there are
    none or the dates would not fit the question's length."""
    written = [long_date(d) for d in dates]
    if len(written) == 1:
        title = _("On the progress of the decisions of the Club's meeting of %(date)s") % {
            "date": written[0]
        }
    elif written:
        title = _("On the progress of the decisions of the Club's meetings of %(dates)s") % {
            "dates": get_text_list(written, _("and"))
        }
    else:
        return progress_title()
    return title if len(title) <= TITLE_LENGTH else progress_title()


def item_summary(day: datetime.date, count: int, overdue: int) -> str:
    """The link to the report as of that day, and what it holds."""
    link = _("The report on the progress of the decisions %(as_of)s: %(url)s") % {
        "as_of": as_of(day),
        "url": absolute_url(reverse("chronicle:progress")),
    }
    return f"{link}\n{progress_summary(count, overdue)}"


@transaction.atomic
def progress_item_add(
    *, meeting: Meeting, user=None, today: datetime.date | None = None
) -> ProgressItem:
    """The question on the progress of open decisions, first on the draft meeting's agenda.

    Under the meeting's row lock, so that two clicks add one item; the meeting's version
    moves on, so that a change form opened before is refused as stale (kernel.locking)
    instead of saving an agenda that no longer exists. Only published meetings' decisions
    are named: the minutes will be public.
    """
    today = today or timezone.localdate()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_published:
        raise ProgressItemRefused(PUBLISHED_MESSAGE % {"meeting": long_date(meeting.date)})
    agenda = list(meeting.agenda_items.order_by("-order"))
    if (found := existing_progress_item(agenda)) is not None:
        return ProgressItem(item=found, created=False)
    rows = (
        open_items()
        .filter(meeting__status=Meeting.Status.PUBLISHED)
        .exclude(meeting=meeting)
        .values_list("meeting__date", "due_date")
    )
    dates, overdue = set(), 0
    for date, due in rows:
        dates.add(date)
        overdue += bool(due and due < today)
    # The question opens the agenda: the others move down one, the last first, so that no
    # two share a number on the way.
    for item in agenda:
        item.order += 1
        item.save(update_fields=["order"])
    added = AgendaItem.objects.create(
        meeting=meeting,
        order=1,
        title=item_title(sorted(dates)),
        summary=item_summary(today, len(rows), overdue),
    )
    if user is not None:
        meeting._history_user = user
    meeting.save()
    return ProgressItem(item=added, created=True)
