"""WSGI entry point (gunicorn clubportal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clubportal.settings")
application = get_wsgi_application()
