from django.urls import path

from registrations import print_views

app_name = "printing"

urlpatterns = [
    path("registrations/<uuid:uuid>/form.pdf", print_views.registration_form, name="registration_form"),
    path("registrations/<uuid:uuid>/commitment.pdf", print_views.commitment_letter, name="commitment"),
    path("registrations/<uuid:uuid>/receipt.pdf", print_views.receipt, name="receipt"),
]
