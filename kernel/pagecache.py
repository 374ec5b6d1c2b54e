"""Caching of public pages for anonymous visitors, invalidated by any change they show.

Every save or delete of a record that public pages display increases one counter
(PublicContentVersion) after its transaction commits. Cache keys carry the counter, so
a page cached before an edit is simply never asked for again, in any process, whatever
the cache backend (local memory by default, Redis when configured).
"""

import datetime
import hashlib
from dataclasses import dataclass
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from .downloads import Validators

PAGE_TIMEOUT = 60 * 60


@dataclass(frozen=True)
class ContentState:
    version: int
    changed_at: datetime.datetime


def content_state() -> ContentState:
    """The counter of public changes and when it last moved: one indexed read."""
    from .models import PublicContentVersion

    row = PublicContentVersion.objects.filter(pk=1).values_list("version", "changed_at").first()
    if row is None:
        created, _new = PublicContentVersion.objects.get_or_create(pk=1)
        return ContentState(created.version, created.changed_at)
    return ContentState(*row)


def content_version() -> int:
    return content_state().version


def bump_content_version() -> None:
    from .models import PublicContentVersion

    now = timezone.now()
    changed = PublicContentVersion.objects.filter(pk=1).update(
        version=F("version") + 1, changed_at=now
    )
    if not changed:
        PublicContentVersion.objects.get_or_create(pk=1, defaults={"version": 2, "changed_at": now})


def content_validators(request, *, daily: bool = False) -> Validators:
    """The ETag and Last-Modified of a file or feed made from public content only.

    Every change that public pages show moves the content version, so the version with what
    else shapes the bytes (the address with its query, the interface language, whose view it
    is: staff see drafts) identifies the file without making it: a client's repeated request
    is answered 304 before anything is read or written. `daily`: the file also depends on the
    day (overdue decisions, a date in its name), so it changes at local midnight too.
    Call it after the visitor's right to the file is checked: a 304 must not outrun a 404.
    """
    state = content_state()
    viewer = request.user.pk if request.user.is_authenticated else ""
    parts = [state.version, get_language(), viewer, request.build_absolute_uri()]
    last_modified = state.changed_at
    if daily:
        today = timezone.localdate()
        parts.append(today.isoformat())
        midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        last_modified = max(last_modified, midnight)
    digest = hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()[:32]
    # Weak: the same content, though a workbook's zip stamps its own writing time.
    return Validators(etag=f'W/"{digest}"', last_modified=last_modified)


def _changed(sender, **kwargs):
    if kwargs.get("raw"):
        return
    transaction.on_commit(bump_content_version)


def watch(*models, m2m=()) -> None:
    """Have the page cache notice every change to these models (and m2m through tables).

    Each app calls it from its AppConfig.ready() for the models its public pages and files
    show; the kernel itself knows no app's models.
    """
    for model in models:
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    for through in m2m:
        label = through._meta.label
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"pagecache-m2m-{label}")


def cached_public_page(view=None, *, daily: bool = False):
    """Serve anonymous GETs of a public page from the cache while nothing has changed.

    `daily`: the page also depends on the day (overdue decisions), so its copy is the day's:
    `@cached_public_page(daily=True)`.
    """
    if view is None:
        return lambda view: cached_public_page(view, daily=daily)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        # Hashed: a long search query must not make a long (or rejected) cache key.
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{content_version()}:{get_language()}:{path}"
        if daily:
            key += f":{timezone.localdate().isoformat()}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
        return response

    return wrapper
