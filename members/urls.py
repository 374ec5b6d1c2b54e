"""Public addresses of the club's members.

Served under /members/ with the member's record and certificate (chronicle/urls.py, which
composes the «members» namespace: the record reads meetings and resolutions, which this
app, the lowest, may not import).
"""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.member_list, name="list"),
]
