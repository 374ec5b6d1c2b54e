"""Who may do what in the statistics pages: operators of one organisation, the centre."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Report
from .selectors import reports_for_user


def is_centre(user) -> bool:
    """The regional methodical centre: may review, accept, return and reopen reports."""
    return (
        user.is_authenticated
        and user.is_active
        and user.has_perm("stats.change_report")
        and (user.is_superuser or user.groups.filter(name="Методист центра").exists())
    )


def operator_report(user, pk) -> Report:
    """A report of the operator's own organisation; anything else is 404, not 403,
    so that another library's reports cannot even be probed."""
    return get_object_or_404(
        reports_for_user(user).select_related("organization", "form", "period"), pk=pk
    )


def operator_required(view):
    """Logged in and bound to an organisation (members.OperatorAccount)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request.user, "operator_account", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def centre_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_centre(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
