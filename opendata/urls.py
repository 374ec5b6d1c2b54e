"""This app's public addresses, included by clubportal/urls.py."""

urlpatterns = []
