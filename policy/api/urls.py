from django.urls import path

from policy.api import views

urlpatterns = [
    path("policy/registration-types/", views.RegistrationTypeListApi.as_view(), name="api-registration-types"),
    path("policy/quote/", views.QuoteApi.as_view(), name="api-policy-quote"),
]
