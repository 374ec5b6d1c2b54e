"""This app's public addresses, included by clubportal/urls.py.

``urlpatterns`` (the ``chronicle`` namespace) holds the report on open decisions, beside the
resolutions it reports on. ``members_patterns`` is the /members/ namespace: the members app's
own list and the member's record with her certificate, composed here (as minutes/urls.py
composes the meetings'), so that ``members:detail`` names the record and the members app
imports nothing above it.
"""

from django.urls import path

from members import urls as members_urls

from . import progress_views
from .views import record

app_name = "chronicle"

urlpatterns = [
    path("resolutions/progress/", progress_views.progress_page, name="progress"),
    path("resolutions/progress.pdf", progress_views.progress_pdf_view, name="progress_pdf"),
    path("resolutions/progress.docx", progress_views.progress_docx_view, name="progress_docx"),
]

members_patterns = [
    *members_urls.urlpatterns,
    path("<int:pk>/", record.member_detail, name="detail"),
    path("<int:pk>/certificate.pdf", record.certificate_pdf_view, name="certificate_pdf"),
    path("<int:pk>/certificate.docx", record.certificate_docx_view, name="certificate_docx"),
]
