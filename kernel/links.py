"""Absolute addresses of the portal's pages, for files read away from it (no request there)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """The page's full address on the configured site (settings.SITE_URL, DJANGO_SITE_URL)."""
    return settings.SITE_URL + (path if path.startswith("/") else f"/{path}")
