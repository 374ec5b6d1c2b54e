"""What every address under /api/ does around its answer: CORS for reading, a rate limit per
client, validators with 304, and the cache of the public pages.

- CORS: any site may read (Access-Control-Allow-Origin: *), and only read: a preflight is
  answered for GET and HEAD alone, and nothing else is routed (405).
- The rate limit counts each client's requests in a fixed window in the shared cache (Redis
  with several instances), the client's address read as django-axes reads it
  (settings.AXES_IPWARE_*: behind the proxy, its X-Forwarded-For), and answers 429 with a
  Russian message and Retry-After. A 304 counts too: it is a request all the same.
- ETag and Last-Modified from kernel.pagecache.content_validators(), daily (an overdue
  decision becomes one at midnight): a client asking again gets 304 before anything is read.
- The answer is cached under its ETag, which carries the content version, the language and
  the address with its query: any public change empties it, as it does the pages.
"""

from __future__ import annotations

from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from kernel.downloads import not_modified, validated
from kernel.pagecache import PAGE_TIMEOUT, content_validators

READ_METHODS = ("GET", "HEAD")
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# What a reading client may send that is not CORS-safelisted: revalidation.
ALLOWED_HEADERS = "If-None-Match, If-Modified-Since"
PREFLIGHT_MAX_AGE = 24 * 60 * 60
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After"


def with_cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def preflight(request) -> HttpResponse:
    """204 to an OPTIONS request: reading is allowed, from anywhere; nothing else is."""
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED_METHODS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return with_cors(response)


def json_error(detail: str, status: int) -> JsonResponse:
    return with_cors(
        JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    )


def too_many_requests(request) -> HttpResponse | None:
    """429 when this client has used up its requests of the current window, else None."""
    limit, window = settings.OPENDATA_RATE_LIMIT
    if not limit:
        return None
    client = get_client_ip_address(request) or "unknown"
    key = f"api-rate:{client}"
    # add() starts the window only if none is running; incr() is atomic on Redis and locmem.
    cache.add(key, 0, window)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ran out between add() and incr()
        cache.add(key, 1, window)
        used = 1
    if used <= limit:
        return None
    response = json_error(
        _(
            "Too many requests: at most %(limit)s a minute from one address. "
            "Please try again in a minute."
        )
        % {"limit": limit},
        429,
    )
    response["Retry-After"] = str(window)
    return response


def open_data_view(view):
    """Wrap one of the API's views (see the module's docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return preflight(request)
        if request.method not in READ_METHODS:
            response = json_error(_("The API is read-only: only GET requests are answered."), 405)
            response["Allow"] = ALLOWED_METHODS
            return response
        if (refused := too_many_requests(request)) is not None:
            return refused
        validators = content_validators(request, daily=True)
        if (unchanged := not_modified(request, validators)) is not None:
            return with_cors(unchanged)
        key = f"api:{validators.etag}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
        else:
            head = request.method == "HEAD"
            # Ninja routes GET only; a HEAD is the GET without its body.
            request.method = "GET"
            response = view(request, *args, **kwargs)
            if head:
                request.method = "HEAD"
            if response.status_code != 200:
                return with_cors(response)
            cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
        if request.method == "HEAD":
            response.content = b""
        return with_cors(validated(response, validators))

    return wrapper
