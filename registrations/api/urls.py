"""Registrations under /api/v1/ (API.md). Ids are UUIDs; a malformed one is a 404 from the view."""

from django.urls import path

from registrations.api import views

urlpatterns = [
    path("registrations/", views.RegistrationListCreateApi.as_view(), name="api-registrations"),
    path("registrations/<str:id>/", views.RegistrationDetailApi.as_view(), name="api-registration"),
    path("registrations/<str:id>/documents/", views.DocumentUploadApi.as_view(), name="api-registration-documents"),
    path(
        "registrations/<str:id>/documents/<str:document_id>/",
        views.DocumentApi.as_view(),
        name="api-registration-document",
    ),
    path("registrations/<str:id>/submit/", views.RegistrationSubmitApi.as_view(), name="api-registration-submit"),
    path("registrations/<str:id>/cancel/", views.RegistrationCancelApi.as_view(), name="api-registration-cancel"),
    path("registrations/<str:id>/change/", views.RegistrationChangeApi.as_view(), name="api-registration-change"),
    path(
        "registrations/<str:id>/commitment/",
        views.RegistrationCommitmentApi.as_view(),
        name="api-registration-commitment",
    ),
]
