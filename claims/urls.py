from django.urls import path

from cases.views import case_urls
from claims import views

app_name = "claims"

urlpatterns = [
    *case_urls(views, list=views.claim_list, new=views.claim_new, detail=views.claim_detail),
    path("rescue/", views.rescue, name="rescue"),
    path("deadline/", views.deadline, name="deadline"),
    path("<uuid:uuid>/expenses/", views.expense_add, name="expense_add"),
    path("<uuid:uuid>/expenses/<int:expense_id>/remove/", views.expense_remove, name="expense_remove"),
    path("<uuid:uuid>/submit/", views.claim_submit, name="submit"),
]
