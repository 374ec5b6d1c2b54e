"""The meeting's own public addresses: the feed, the calendars, the attachments.

They are served under /meetings/ together with the minutes' pages (minutes/urls.py, which
composes the «meetings» namespace): the addresses are a contract, see BRIEF.md.
"""

from django.urls import path

from . import views
from .feeds import LatestMeetingsFeed

urlpatterns = [
    path("feed/", LatestMeetingsFeed(), name="feed"),
    path("calendar.ics", views.calendar_all, name="calendar"),
    path("<slug:slug>/calendar.ics", views.calendar_one, name="calendar_one"),
    path("<slug:slug>/files/<int:pk>/", views.attachment, name="attachment"),
]
