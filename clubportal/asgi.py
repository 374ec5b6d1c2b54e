"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clubportal.settings")
django_application = get_asgi_application()

from kernel.security import AsgiBodyLimit  # noqa: E402  (needs the settings loaded)

# Django reads an ASGI request's whole body before any middleware: the limit goes around it.
application = AsgiBodyLimit(django_application)
