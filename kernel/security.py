"""Small guards at the edges of the portal: NUL bytes in queries, over-long login names,
request bodies larger than any form of the portal takes."""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .uploads import MAX_ATTACHMENT_BYTES

LOGIN_NAME_LIMIT = 150


class RejectNulMiddleware:
    """A NUL byte in the address or its query is never legitimate; PostgreSQL would refuse
    it deep inside a search or a look-up by a text key (an error page) instead of here with
    a message. The pages' own converters (<slug:>, <int:>) never match one; the API's text
    path parameters would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or "\x00" in request.META.get("QUERY_STRING", "")
            or any(
                "\x00" in key or any("\x00" in v for v in values)
                for key, values in request.GET.lists()
            )
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


# --- Request bodies ------------------------------------------------------------------------


def _declared_length(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def body_too_large_page(length: int, request=None) -> HttpResponse:
    """413 with the portal's page, saying in words what was too large and what is accepted."""
    context = {
        "message": _("The file is too large (%(size)s); at most %(limit)s is accepted.")
        % {
            "size": filesizeformat(length),
            "limit": filesizeformat(settings.MAX_REQUEST_BYTES),
        },
        "attachment_limit": filesizeformat(MAX_ATTACHMENT_BYTES),
        "club_name": settings.CLUB_NAME,
    }
    return HttpResponse(render_to_string("413.html", context, request), status=413)


class RequestBodyLimitMiddleware:
    """Refuses a body above settings.MAX_REQUEST_BYTES by its Content-Length, before it is read.

    Django reads a body when a form first asks for it (CSRF's check does), spools each file
    above FILE_UPLOAD_MAX_MEMORY_SIZE to disk, and leaves the file's size to the form: a
    200 MB upload would be written out whole before any form refused it. Under WSGI Django
    reads exactly Content-Length bytes, never more, and nothing of a body sent without one
    (chunked), so the declared length is the whole of what could be read; the ASGI entry
    point, where Django reads the body before any middleware, has AsgiBodyLimit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _declared_length(request.META.get("CONTENT_LENGTH"))
        if length is not None and length > settings.MAX_REQUEST_BYTES:
            return body_too_large_page(length, request)
        return self.get_response(request)


class BodyTooLarge(Exception):
    pass


class AsgiBodyLimit:
    """The same limit at the ASGI entry point (clubportal/asgi.py).

    Django's ASGI handler reads the whole body into a temporary file before any middleware
    runs; this wraps it: a Content-Length above the limit is refused before a byte is
    received, and a body without one (chunked) is counted as it arrives and cut off at the
    limit.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.MAX_REQUEST_BYTES
        headers = dict(scope.get("headers") or ())
        length = _declared_length(headers.get(b"content-length"))
        if length is not None and length > limit:
            return await self._refuse(send, length)
        received = 0

        async def capped_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        try:
            return await self.app(scope, capped_receive, send)
        except BodyTooLarge:
            return await self._refuse(send, received)

    async def _refuse(self, send, length: int) -> None:
        response = await sync_to_async(_page_in_default_language)(length)
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": [
                    (name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in response.items()
                ]
                + [(b"connection", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": response.content})


def _page_in_default_language(length: int) -> HttpResponse:
    # No request exists yet to choose a language by: the portal's own.
    with translation.override(settings.LANGUAGE_CODE):
        return body_too_large_page(length)
