"""The resolutions' own public addresses: the list, its export, one item, its evidence.

They are served under /resolutions/ together with the extract of an item (minutes/urls.py,
which composes the «resolutions» namespace).
"""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.resolution_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/evidence/<int:entry_pk>/", views.evidence, name="evidence"),
]
