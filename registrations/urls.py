from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("", views.registration_list, name="list"),
    path("new/", views.registration_new, name="new"),
    path("new/<slug:type_code>/", views.registration_new_details, name="new_details"),
    path("status/", views.status_check, name="status"),
    path("<uuid:uuid>/", views.registration_detail, name="detail"),
    path("<uuid:uuid>/edit/", views.registration_edit, name="edit"),
    path("<uuid:uuid>/submit/", views.registration_submit, name="submit"),
    path("<uuid:uuid>/commitment/", views.commitment_accept, name="commitment"),
    path("<uuid:uuid>/cancel/", views.registration_cancel, name="cancel"),
    path("<uuid:uuid>/change/", views.registration_change, name="change"),
    path("<uuid:uuid>/documents/", views.document_upload, name="document_upload"),
    path("<uuid:uuid>/documents/<uuid:document_uuid>/", views.document_download, name="document_download"),
    path("<uuid:uuid>/documents/<uuid:document_uuid>/remove/", views.document_remove, name="document_remove"),
]
