"""Addresses of statistics: the public dashboard, operators' reports, the centre's review."""

from django.urls import path

from .views import entry, excel, operators, public, review

app_name = "stats"

urlpatterns = [
    path("", public.overview, name="overview"),
    path("summer/<int:year>.pdf", public.summer_pdf, name="summer_pdf"),
    path("summer/<int:year>.xlsx", public.summer_xlsx, name="summer_xlsx"),
    path("reports/", entry.my_reports, name="my_reports"),
    path("reports/new/", entry.report_new, name="report_new"),
    path("reports/<int:pk>/", entry.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", entry.report_submit, name="report_submit"),
    path("reports/<int:pk>/withdraw/", entry.report_withdraw, name="report_withdraw"),
    path("reports/<int:pk>/report.pdf", entry.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/template.xlsx", excel.report_template, name="report_template"),
    path("reports/<int:pk>/import/", excel.report_import, name="report_import"),
    path("review/", review.board, name="review_board"),
    path("review/queue/", review.queue, name="review_queue"),
    path("review/enter/", review.enter_start, name="review_enter_start"),
    path("review/operators/", operators.operator_accounts, name="operator_accounts"),
    path("review/operators/<int:pk>/letter/", operators.operator_letter, name="operator_letter"),
    path("review/<int:pk>/", review.report_review, name="review_report"),
    path("review/<int:pk>/enter/", review.report_enter, name="review_enter"),
    path("review/<int:pk>/<str:action>/", review.report_action, name="review_action"),
    path("review/<int:pk>/template.xlsx", excel.review_template, name="review_template"),
    path("export/accepted.xlsx", excel.export_accepted, name="export_accepted"),
    path(
        "export/accepted-<int:year>.csv",
        public.accepted_download,
        {"fmt": "csv"},
        name="accepted_csv",
    ),
    path(
        "export/accepted-<int:year>.json",
        public.accepted_download,
        {"fmt": "json"},
        name="accepted_json",
    ),
    path("export/summary-<int:year>.xlsx", excel.export_summary, name="export_summary"),
]
