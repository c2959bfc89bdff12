from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="list"),
    path("new/", views.claim_new, name="new"),
    path("rescue/", views.rescue, name="rescue"),
    path("deadline/", views.deadline, name="deadline"),
    path("<uuid:uuid>/", views.claim_detail, name="detail"),
    path("<uuid:uuid>/expenses/", views.expense_add, name="expense_add"),
    path("<uuid:uuid>/expenses/<int:expense_id>/remove/", views.expense_remove, name="expense_remove"),
    path("<uuid:uuid>/documents/", views.document_upload, name="document_upload"),
    path("<uuid:uuid>/documents/<uuid:document_uuid>/", views.document_download, name="document_download"),
    path("<uuid:uuid>/documents/<uuid:document_uuid>/remove/", views.document_remove, name="document_remove"),
    path("<uuid:uuid>/submit/", views.claim_submit, name="submit"),
]
