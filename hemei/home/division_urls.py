"""The pages of the division tree, under their own namespace (``divisions:``)."""

from django.urls import path

from . import views

app_name = "divisions"
urlpatterns = [
    path("", views.division_list, name="division_list"),
    path("<str:code>/", views.division_detail, name="division_detail"),
]
