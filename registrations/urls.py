from django.urls import path

from cases.views import case_urls
from registrations import views

app_name = "registrations"

urlpatterns = [
    *case_urls(views, list=views.registration_list, new=views.registration_new, detail=views.registration_detail),
    path("new/<slug:type_code>/", views.registration_new_details, name="new_details"),
    path("status/", views.status_check, name="status"),
    path("<uuid:uuid>/edit/", views.registration_edit, name="edit"),
    path("<uuid:uuid>/submit/", views.registration_submit, name="submit"),
    path("<uuid:uuid>/commitment/", views.commitment_accept, name="commitment"),
    path("<uuid:uuid>/cancel/", views.registration_cancel, name="cancel"),
    path("<uuid:uuid>/change/", views.registration_change, name="change"),
]
