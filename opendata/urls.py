"""This app's public addresses, included by clubportal/urls.py at /api/.

Ninja's URL patterns (the operations, /api/openapi.json, /api/docs/), each wrapped by
opendata.http.open_data_view; any other address under /api/ answers a JSON 404.
"""

from django.urls import path, re_path
from django.utils.translation import gettext as _

from .api import api
from .http import json_error, open_data_view

# Unpacked under other names: a module-level app_name would namespace this whole URLconf.
ninja_patterns, ninja_app, ninja_namespace = api.urls
for pattern in ninja_patterns:
    pattern.callback = open_data_view(pattern.callback)


def unknown_address(request, rest=""):
    return json_error(_("No such address in the API; see /api/docs/."), 404)


urlpatterns = [
    path("", (ninja_patterns, ninja_app, ninja_namespace)),
    re_path(r"^(?P<rest>.*)$", unknown_address),
]
