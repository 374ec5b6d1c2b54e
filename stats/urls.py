"""Addresses of statistics: the public dashboard, operators' reports, the centre's review."""

from django.urls import path

from .views import dashboard, entry, excel, review

app_name = "stats"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("summer/<int:year>.pdf", dashboard.summer_pdf, name="summer_pdf"),
    path("summer/<int:year>.xlsx", dashboard.summer_xlsx, name="summer_xlsx"),
    path("reports/", entry.my_reports, name="my_reports"),
    path("reports/new/", entry.report_new, name="report_new"),
    path("reports/<int:pk>/", entry.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", entry.report_submit, name="report_submit"),
    path("reports/<int:pk>/withdraw/", entry.report_withdraw, name="report_withdraw"),
    path("reports/<int:pk>/template.xlsx", excel.report_template, name="report_template"),
    path("reports/<int:pk>/import/", excel.report_import, name="report_import"),
    path("review/", review.board, name="review_board"),
    path("review/<int:pk>/", review.report_review, name="review_report"),
    path("review/<int:pk>/<str:action>/", review.report_action, name="review_action"),
    path("review/<int:pk>/template.xlsx", excel.review_template, name="review_template"),
    path("export/accepted.xlsx", excel.export_accepted, name="export_accepted"),
    path("export/summary-<int:year>.xlsx", excel.export_summary, name="export_summary"),
]
