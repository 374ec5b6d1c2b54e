"""The centre's page of library operators' accounts: who reports for which library system,
and a new operator's account, with her password set or a link to set it mailed to her."""

import logging
import smtplib

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kernel.accounts import mail_configured
from members.models import OperatorAccount
from members.services import operator_account_create, operator_password_letter_send

from ..access import centre_required
from ..forms import OperatorAccountForm

logger = logging.getLogger(__name__)


def _send_letter(request, account) -> bool:
    try:
        operator_password_letter_send(
            account=account, domain=request.get_host(), use_https=request.is_secure()
        )
    except (smtplib.SMTPException, OSError):
        logger.exception("The letter to operator %s could not be sent", account.user_id)
        messages.error(
            request,
            _(
                "The letter to %(email)s could not be sent: the mail server did not take it. "
                "Try again later from the list of accounts, or set a password in the admin."
            )
            % {"email": account.user.email},
        )
        return False
    return True


@centre_required
@require_http_methods(["GET", "HEAD", "POST"])
def operator_accounts(request):
    form = OperatorAccountForm(request.POST or None, mail_available=mail_configured())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = operator_account_create(
            organization=data["organization"],
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            password=form.password,
        )
        values = {"login": account.user.username, "organization": account.organization}
        if form.password:
            messages.success(
                request,
                _(
                    "The account «%(login)s» of %(organization)s is ready with the password you "
                    "set: tell it to the operator."
                )
                % values,
            )
        elif _send_letter(request, account):
            messages.success(
                request,
                _(
                    "The account «%(login)s» of %(organization)s is ready; a letter with a link "
                    "to set the password went to %(email)s."
                )
                % {**values, "email": account.user.email},
            )
        return redirect("stats:operator_accounts")
    accounts = OperatorAccount.objects.select_related("user", "organization").order_by(
        "organization__short_name", "user__last_name", "user__username"
    )
    return render(
        request,
        "stats/review/operators.html",
        {"form": form, "accounts": accounts, "mail_available": mail_configured()},
    )


@centre_required
@require_POST
def operator_letter(request, pk):
    """A new link to set the password, for an operator whose link expired or got lost."""
    account = get_object_or_404(
        OperatorAccount.objects.select_related("user", "organization"), pk=pk
    )
    if not mail_configured() or not account.user.email:
        messages.error(
            request,
            _("No letter can go to «%(login)s»: the portal cannot send mail, or she has no e-mail.")
            % {"login": account.user.username},
        )
    elif _send_letter(request, account):
        messages.success(
            request,
            _("A new link to set the password went to %(email)s.") % {"email": account.user.email},
        )
    return redirect("stats:operator_accounts")
