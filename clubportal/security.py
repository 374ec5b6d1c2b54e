"""Small guards at the edges of the portal: NUL bytes in queries, over-long login names."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

LOGIN_NAME_LIMIT = 150


class RejectNulMiddleware:
    """A NUL byte in the query string is never legitimate; PostgreSQL would refuse it deep
    inside a search (an error page) instead of here with a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            # Django's own sentence for this, translated by Django's catalogue.
            return HttpResponseBadRequest(
                _("Null characters are not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def axes_username(request, credentials):
    """The login name as django-axes records it: cut to what a user name can be."""
    name = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(name)[:LOGIN_NAME_LIMIT]
