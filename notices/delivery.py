"""The one way a logged letter goes out: once per key, at most so many a day per address."""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .letters import Letter
from .models import SentNotice

logger = logging.getLogger(__name__)


def over_daily_limit(address: str) -> bool:
    """The address has had settings.NOTICES_DAILY_LIMIT letters in the last 24 hours."""
    since = timezone.now() - datetime.timedelta(days=1)
    sent = SentNotice.objects.filter(recipient__iexact=address, sent_at__gte=since).count()
    return sent >= settings.NOTICES_DAILY_LIMIT


def deliver(*, key: str, kind: str, letter: Letter) -> bool:
    """Send the letter unless one with this key went out already; true when it went out.

    The log row and the sending share a transaction: a mail server that refuses the letter
    rolls the row back, and the next run (the reminders' next day) tries again. Two workers
    delivering the same key at once: the log's unique key lets one of them through.
    """
    if SentNotice.objects.filter(key=key).exists():
        return False
    if over_daily_limit(letter.to):
        # Held back, not logged: a reminder goes out with a later run.
        logger.warning("Letter %s held back: the address had its letters for today.", key)
        return False
    try:
        with transaction.atomic():
            SentNotice.objects.create(
                key=key, kind=kind, recipient=letter.to, subject=letter.subject[:300]
            )
            letter.message().send()
    except IntegrityError:
        return False
    return True
