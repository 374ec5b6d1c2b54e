"""This app's public addresses, included by clubportal/urls.py."""

from django.urls import path

from . import progress_views

app_name = "chronicle"

urlpatterns = [
    # The report on open decisions, beside the resolutions it reports on.
    path("resolutions/progress/", progress_views.progress_page, name="progress"),
    path("resolutions/progress.pdf", progress_views.progress_pdf_view, name="progress_pdf"),
    path("resolutions/progress.docx", progress_views.progress_docx_view, name="progress_docx"),
]
