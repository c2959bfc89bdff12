from django.urls import path

from registrations import staff_views as views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("file/", views.file_start, name="file"),
    path("file/<uuid:enrollee_uuid>/", views.file_details, name="file_details"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/decide/", views.decide, name="decide"),
    path("<uuid:uuid>/upload/", views.upload, name="upload"),
    path("<uuid:uuid>/submit/", views.submit, name="submit"),
    path("<uuid:uuid>/documents/<uuid:document_uuid>/", views.document, name="document"),
]
