"""The signed links of the letters: confirming a subscription, and unsubscribing.

A confirmation link carries the whole request (address and what to follow), signed and
stamped: nothing is stored until its owner follows it. It expires after
settings.NOTICES_CONFIRM_HOURS and is used up by the confirmation it makes (a link issued
before the subscription's last confirmation is refused). An unsubscribe link names one
subscription and never expires: RFC 8058 asks that it keep working.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "notices.confirm"
UNSUBSCRIBE_SALT = "notices.unsubscribe"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


@dataclass(frozen=True)
class Request:
    """What a confirmation link asks for, and when it was issued (seconds since the epoch)."""

    email: str
    minutes: bool
    organizations: tuple[int, ...]
    issued: float


def confirmation_token(*, email: str, minutes: bool, organizations) -> str:
    payload = {"e": email, "m": bool(minutes), "o": sorted(organizations), "t": time.time()}
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def confirmation_request(token: str) -> Request:
    try:
        payload = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.NOTICES_CONFIRM_HOURS * 3600
        )
    except signing.SignatureExpired as error:
        raise TokenExpired from error
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise TokenInvalid from error
    try:
        return Request(
            email=str(payload["e"]),
            minutes=bool(payload["m"]),
            organizations=tuple(int(pk) for pk in payload["o"]),
            issued=float(payload["t"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise TokenInvalid from error


def unsubscribe_token(subscription) -> str:
    signer = signing.Signer(salt=UNSUBSCRIBE_SALT)
    return signer.sign_object({"s": subscription.pk, "e": subscription.email.lower()})


def unsubscribe_target(token: str) -> tuple[int, str]:
    """The subscription's key and address the link was made for."""
    try:
        payload = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
        return int(payload["s"]), str(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, UnicodeError) as error:
        raise TokenInvalid from error
