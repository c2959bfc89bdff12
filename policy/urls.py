from django.urls import path

from policy import views

app_name = "policy"

urlpatterns = [
    path("", views.index, name="index"),
    path("wizard/", views.wizard, name="wizard"),
    path("<slug:jurisdiction>/", views.current, name="current"),
    path("<slug:jurisdiction>/changes/", views.changes, name="changes"),
]
