"""Public addresses of the meeting archive (a contract: see BRIEF.md)."""

from django.urls import path

from . import views
from .feeds import LatestMeetingsFeed

app_name = "meetings"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("feed/", LatestMeetingsFeed(), name="feed"),
    path("calendar.ics", views.calendar_all, name="calendar"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/minutes.pdf", views.minutes_pdf_view, name="minutes_pdf"),
    path("<slug:slug>/minutes.xlsx", views.minutes_xlsx_view, name="minutes_xlsx"),
    path("<slug:slug>/calendar.ics", views.calendar_one, name="calendar_one"),
    path("<slug:slug>/files/<int:pk>/", views.attachment, name="attachment"),
]
