from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("new/", views.unit_create, name="unit_create"),
    path("<int:pk>/edit/", views.unit_edit, name="unit_edit"),
]
