"""The letters of newly published minutes: one per confirmed subscriber who follows them."""

from meetings.models import Meeting
from resolutions.models import Resolution

from . import letters
from .delivery import deliver
from .models import SentNotice, Subscription


def concerned(resolution, organizations) -> bool:
    """The decision is given to one of these organisations (or to every library system,
    one of which is among them)."""
    if resolution.to_library_systems and any(o.is_library_system for o in organizations):
        return True
    chosen = {o.pk for o in organizations}
    return any(o.pk in chosen for o in resolution.responsible_organizations.all())


def minutes_key(meeting_pk: int, subscription_pk: int) -> str:
    return f"minutes:{meeting_pk}:{subscription_pk}"


def announce(meeting_pk: int) -> int:
    """Mail the published minutes to every confirmed subscriber they concern; how many went.

    Subscribers of the minutes get every decision; subscribers of organisations only the
    minutes that give one of theirs a decision, with those decisions. Idempotent: each
    subscriber's letter of these minutes is logged (SentNotice) and never sent again, even
    when the minutes are withdrawn and published anew.
    """
    meeting = Meeting.objects.filter(pk=meeting_pk, status=Meeting.Status.PUBLISHED).first()
    if meeting is None:
        return 0
    decisions = list(
        Resolution.objects.filter(meeting=meeting, kind=Resolution.Kind.DECISION)
        .prefetch_related("responsible_organizations")
        .order_by("section", "number")
    )
    done = set(
        SentNotice.objects.filter(key__startswith=f"minutes:{meeting.pk}:").values_list(
            "key", flat=True
        )
    )
    subscriptions = (
        Subscription.objects.confirmed().prefetch_related("organizations").order_by("pk")
    )
    sent = 0
    for subscription in subscriptions:
        key = minutes_key(meeting.pk, subscription.pk)
        if key in done:
            continue
        if subscription.minutes:
            chosen = decisions
        else:
            organizations = list(subscription.organizations.all())
            chosen = [d for d in decisions if concerned(d, organizations)]
            if not chosen:
                continue
        letter = letters.minutes_letter(
            meeting=meeting,
            decisions=letters.decisions_of(chosen),
            subscription=subscription,
            everything=subscription.minutes,
        )
        sent += deliver(key=key, kind=SentNotice.Kind.MINUTES, letter=letter)
    return sent
