"""Public addresses of resolutions."""

from django.urls import path

from . import views

app_name = "resolutions"

urlpatterns = [
    path("", views.resolution_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/extract.pdf", views.extract_pdf, name="extract_pdf"),
    path("<int:pk>/evidence/<int:entry_pk>/", views.evidence, name="evidence"),
]
