"""Counters of requests per address and per client over a window, kept in the cache.

The cache holds a hash of the address, never the address: a refused request leaves nothing
readable behind. With the default local-memory cache each gunicorn worker counts for itself
(the limit is then per worker); REDIS_URL makes the counters shared.
"""

import hashlib

from django.core.cache import cache

HOUR = 3600


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
    return f"notices:limit:{scope}:{digest}"


def over_limit(scope: str, value: str, *, limit: int, window: int = HOUR) -> bool:
    """Count one more request; true when it goes past the limit for the window."""
    key = _key(scope, value)
    if cache.add(key, 1, timeout=window):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return limit < 1
