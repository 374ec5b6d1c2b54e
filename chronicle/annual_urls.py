"""The addresses of the club's year: /annual/, /annual/<year>/, /annual/<year>.pdf (.docx,
.xlsx), as BRIEF.md lists them; included under /annual/ by clubportal/urls.py."""

from django.urls import path

from . import annual_views

app_name = "annual"

urlpatterns = [
    path("", annual_views.index, name="index"),
    path("<int:year>/", annual_views.year_page, name="year"),
    path("<int:year>.pdf", annual_views.year_pdf, name="pdf"),
    path("<int:year>.docx", annual_views.year_docx, name="docx"),
    path("<int:year>.xlsx", annual_views.year_xlsx, name="xlsx"),
]
