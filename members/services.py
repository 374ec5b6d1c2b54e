"""Writes of members that touch several rows: the account of a library's operator."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kernel.roles import LIBRARY_OPERATOR

from .models import OperatorAccount, Organization


@transaction.atomic
def operator_account_create(
    *,
    organization: Organization,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    password: str | None = None,
) -> OperatorAccount:
    """A library operator's login, bound to her organisation, in the operators' group.

    With a password the account can log in at once; without one it has none that works
    until she sets her own by the link operator_password_letter_send mails her. Operators
    never enter the admin: the account is not staff.
    """
    user = get_user_model()(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=False,
        is_superuser=False,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(Group.objects.get(name=LIBRARY_OPERATOR))
    return OperatorAccount.objects.create(user=user, organization=organization)


def operator_password_letter_send(
    *, account: OperatorAccount, domain: str, use_https: bool
) -> None:
    """Mail the operator a link to set her password (Django's reset link: it works once,
    for settings.PASSWORD_RESET_TIMEOUT)."""
    user = account.user
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "organization": account.organization,
        "url": f"{'https' if use_https else 'http'}://{domain}{link}",
        "login_url": f"{'https' if use_https else 'http'}://{domain}{reverse('login')}",
        "club_name": settings.CLUB_NAME,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    subject = render_to_string("registration/operator_welcome_subject.txt", context)
    body = render_to_string("registration/operator_welcome_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
