"""The staff's endpoints under /api/v1/review/ (API.md). Ids are UUIDs; a malformed one is a 404."""

from django.urls import path

from review.api import views

urlpatterns = [
    path("review/registrations/", views.RegistrationQueueApi.as_view(), name="api-review-registrations"),
    path("review/registrations/<str:id>/", views.RegistrationReviewApi.as_view(), name="api-review-registration"),
    path(
        "review/registrations/<str:id>/decision/",
        views.RegistrationDecisionApi.as_view(),
        name="api-review-registration-decision",
    ),
    path("review/claims/", views.ClaimQueueApi.as_view(), name="api-review-claims"),
    path("review/claims/<str:id>/", views.ClaimReviewApi.as_view(), name="api-review-claim"),
    path("review/claims/<str:id>/decision/", views.ClaimDecisionApi.as_view(), name="api-review-claim-decision"),
    path("review/claims/<str:id>/confirm/", views.ClaimConfirmApi.as_view(), name="api-review-claim-confirm"),
    path("review/claims/<str:id>/payment/", views.ClaimPaymentApi.as_view(), name="api-review-claim-payment"),
]
