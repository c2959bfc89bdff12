"""Claims under /api/v1/ (API.md). Claim ids are UUIDs; a malformed one is a 404 from the view."""

from django.urls import path

from claims.api import views

urlpatterns = [
    path("claims/", views.ClaimListCreateApi.as_view(), name="api-claims"),
    path("claims/<str:id>/", views.ClaimDetailApi.as_view(), name="api-claim"),
    path("claims/<str:id>/expenses/", views.ExpenseAddApi.as_view(), name="api-claim-expenses"),
    path("claims/<str:id>/expenses/<str:expense_id>/", views.ExpenseApi.as_view(), name="api-claim-expense"),
    path("claims/<str:id>/documents/", views.DocumentUploadApi.as_view(), name="api-claim-documents"),
    path("claims/<str:id>/documents/<str:document_id>/", views.ClaimDocumentApi.as_view(), name="api-claim-document"),
    path("claims/<str:id>/submit/", views.ClaimSubmitApi.as_view(), name="api-claim-submit"),
]
