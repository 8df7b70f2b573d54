"""The grant's pages: residents' /grants/, coordinators' /grants/applications/ and staff review."""

from django.urls import path

from .views import coordinator, documents, public, review

app_name = "grants"

urlpatterns = [
    # Residents
    path("", public.index, name="index"),
    path("<int:fiscal_year>/", public.year, name="year"),
    path("<int:fiscal_year>/grants.csv", public.year_csv, name="year_csv"),
    path("<int:fiscal_year>/districts/<slug:slug>/", public.district_year, name="district_year"),
    path("districts/<slug:slug>/", public.district_history, name="district_history"),
    # Coordinators
    path("applications/", coordinator.dashboard, name="dashboard"),
    path(
        "applications/new/<int:council_pk>/<int:fiscal_year>/",
        coordinator.start,
        name="application_start",
    ),
    path("applications/<int:pk>/", coordinator.detail, name="application_detail"),
    path("applications/<int:pk>/change/", coordinator.start_change, name="application_change"),
    path("applications/<int:pk>/report/", coordinator.report, name="application_report"),
    path(
        "applications/<int:pk>/report/receipts/",
        coordinator.report_receipts,
        name="application_receipts",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/remove/",
        coordinator.remove_attachment,
        name="application_remove_attachment",
    ),
    path(
        "applications/<int:pk>/do/<slug:action>/",
        coordinator.act,
        name="application_action",
    ),
    path("applications/<int:pk>/<slug:step>/", coordinator.step, name="application_step"),
    # Documents, for the council and for staff
    path(
        "documents/<int:pk>/attachments/<int:attachment_pk>/",
        documents.attachment,
        name="attachment",
    ),
    path("documents/<int:pk>/<slug:document>/", documents.print_view, name="print"),
    # Grant staff
    path("review/", review.queue, name="review_queue"),
    path("review/years/<int:fiscal_year>/", review.year_overview, name="review_year"),
    path(
        "review/years/<int:fiscal_year>/applications.xlsx",
        review.year_xlsx,
        name="review_year_xlsx",
    ),
    path("review/<int:pk>/", review.application, name="review_application"),
    path("review/<int:pk>/<slug:action>/", review.act, name="review_action"),
]
