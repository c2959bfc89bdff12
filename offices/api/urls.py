from django.urls import path

from offices.api import views

urlpatterns = [
    path("jurisdictions/", views.JurisdictionListApi.as_view(), name="api-jurisdictions"),
    path("offices/", views.OfficeListApi.as_view(), name="api-offices"),
]
