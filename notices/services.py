"""Writes of the subscriptions: the request, its confirmation and the unsubscribe; each one
keyword-only, the database writes atomic. A refusal raises `Refused` with the sentence the
visitor reads, and leaves nothing stored."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organization

from . import letters, tokens
from .models import Subscription
from .ratelimit import over_limit
from .tasks import send_letter

CLIENT_FLOOD_MESSAGE = _(
    "Too many subscription requests have come from your network in the last hour. "
    "Please try again later."
)
ADDRESS_FLOOD_MESSAGE = _(
    "Confirmation letters have already been sent to this address several times in the last "
    "hour. Please look for them in the mailbox (and in the spam folder) or try again later."
)
EXPIRED_MESSAGE = _(
    "This confirmation link has expired. Please subscribe again: a new letter will come."
)
USED_MESSAGE = _(
    "This confirmation link has already been used. The subscription it confirmed is active; "
    "to change it, subscribe again."
)
INVALID_MESSAGE = _(
    "This link is damaged or was not made by the portal. Please open it from the letter, "
    "whole: a mail program sometimes breaks a long link in two."
)


class Refused(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def subscription_request(*, email: str, minutes: bool, organizations, client: str | None) -> None:
    """Mail a confirmation link for this request; nothing is stored until it is followed.

    Refused past settings.NOTICES_SUBSCRIBE_PER_CLIENT requests an hour from one client
    (counted even when refused, so a flood stays refused) and past
    settings.NOTICES_SUBSCRIBE_PER_ADDRESS letters an hour to one address.
    """
    if over_limit("client", client or "-", limit=settings.NOTICES_SUBSCRIBE_PER_CLIENT):
        raise Refused(CLIENT_FLOOD_MESSAGE)
    if over_limit("address", email, limit=settings.NOTICES_SUBSCRIBE_PER_ADDRESS):
        raise Refused(ADDRESS_FLOOD_MESSAGE)
    token = tokens.confirmation_token(
        email=email, minutes=minutes, organizations=[o.pk for o in organizations]
    )
    send_letter.enqueue(letters.confirmation_letter(email=email, token=token).as_dict())


def confirmation_read(*, token: str) -> tokens.Request:
    """What the link asks for, or Refused: expired, damaged or forged, already used."""
    try:
        request = tokens.confirmation_request(token)
    except tokens.TokenExpired as error:
        raise Refused(EXPIRED_MESSAGE) from error
    except tokens.TokenInvalid as error:
        raise Refused(INVALID_MESSAGE) from error
    confirmed = (
        Subscription.objects.filter(email__iexact=request.email)
        .values_list("confirmed_at", flat=True)
        .first()
    )
    if confirmed is not None and confirmed.timestamp() >= request.issued:
        raise Refused(USED_MESSAGE)
    return request


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    """Store the subscription the link asks for: a new one, or the address's choice replaced."""
    # Under the row lock, so that two clicks on the same link confirm once.
    request = confirmation_read(token=token)
    subscription = (
        Subscription.objects.select_for_update().filter(email__iexact=request.email).first()
    )
    if subscription is None:
        subscription = Subscription(email=request.email.lower())
    elif subscription.confirmed_at and subscription.confirmed_at.timestamp() >= request.issued:
        raise Refused(USED_MESSAGE)
    subscription.minutes = request.minutes
    # Strictly after the link's stamp, however coarse the clock: the link is used up.
    subscription.confirmed_at = max(
        timezone.now(),
        datetime.datetime.fromtimestamp(request.issued, tz=datetime.UTC)
        + datetime.timedelta(microseconds=1),
    )
    subscription.save()
    subscription.organizations.set(Organization.objects.filter(pk__in=request.organizations))
    return subscription


def unsubscribe_read(*, token: str) -> Subscription | None:
    """The subscription the link names (None: already gone), or Refused for a forged link."""
    try:
        pk, email = tokens.unsubscribe_target(token)
    except tokens.TokenInvalid as error:
        raise Refused(INVALID_MESSAGE) from error
    return Subscription.objects.filter(pk=pk, email__iexact=email).first()


@transaction.atomic
def subscription_cancel(*, token: str) -> bool:
    """Delete the subscription the link names, the address with it; false if it was gone."""
    subscription = unsubscribe_read(token=token)
    if subscription is None:
        return False
    subscription.delete()
    return True
