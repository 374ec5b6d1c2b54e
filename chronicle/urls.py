"""This app's public addresses, included by clubportal/urls.py.

``members_patterns`` is the /members/ namespace: the members app's own list and the
member's record with her certificate, composed here (as minutes/urls.py composes the
meetings'), so that ``members:detail`` names the record and the members app imports
nothing above it.
"""

from django.urls import path

from members import urls as members_urls

from .views import record

urlpatterns = []

members_patterns = [
    *members_urls.urlpatterns,
    path("<int:pk>/", record.member_detail, name="detail"),
    path("<int:pk>/certificate.pdf", record.certificate_pdf_view, name="certificate_pdf"),
    path("<int:pk>/certificate.docx", record.certificate_docx_view, name="certificate_docx"),
]
