"""This app's public addresses, included by clubportal/urls.py."""

from django.urls import include, path

urlpatterns = [
    path("annual/", include("chronicle.annual_urls")),
]
