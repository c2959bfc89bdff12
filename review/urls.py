from django.urls import path

from review.views import claims as claim_views
from review.views import filing
from review.views import registrations as views
from review.views import reports as report_views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("export/", report_views.queue_export, name="queue_export"),
    path("dashboard/", report_views.dashboard, name="dashboard"),
    path("dashboard/export/", report_views.dashboard_export, name="dashboard_export"),
    path("file/", filing.file_start, name="file"),
    path("file/<uuid:enrollee_uuid>/", filing.file_details, name="file_details"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/decide/", views.decide, name="decide"),
    path("<uuid:uuid>/upload/", filing.upload, name="upload"),
    path("<uuid:uuid>/submit/", filing.submit, name="submit"),
    path("<uuid:uuid>/documents/<uuid:document_uuid>/", views.document, name="document"),
    # Claims share the review area (and its namespace) with registrations.
    path("claims/", claim_views.queue, name="claims"),
    path("claims/export/", report_views.claims_export, name="claims_export"),
    path("claims/<uuid:uuid>/", claim_views.detail, name="claim_detail"),
    path("claims/<uuid:uuid>/decide/", claim_views.decide, name="claim_decide"),
    path("claims/<uuid:uuid>/confirm/", claim_views.confirm, name="claim_confirm"),
    path("claims/<uuid:uuid>/payment/", claim_views.payment, name="claim_payment"),
    path("claims/<uuid:uuid>/documents/<uuid:document_uuid>/", claim_views.document, name="claim_document"),
]
