"""The /meetings/ and /resolutions/ namespaces: each app's own addresses and the minutes'.

Composed here, above both apps, so that neither URLconf names the other's views. The
meeting's fixed addresses (feed/, calendar.ics) come before <slug>/, which would match them.
"""

from django.urls import path

from meetings import urls as meetings_urls
from resolutions import urls as resolutions_urls

from . import views

meetings_patterns = [
    *meetings_urls.urlpatterns,
    path("", views.archive, name="archive"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/minutes.pdf", views.minutes_pdf_view, name="minutes_pdf"),
    path("<slug:slug>/minutes.docx", views.minutes_docx_view, name="minutes_docx"),
    path("<slug:slug>/minutes.xlsx", views.minutes_xlsx_view, name="minutes_xlsx"),
]

resolutions_patterns = [
    *resolutions_urls.urlpatterns,
    path("<int:pk>/extract.pdf", views.extract_pdf, name="extract_pdf"),
    path("<int:pk>/extract.docx", views.extract_docx, name="extract_docx"),
]
