from django.urls import path

from . import views

app_name = "procedures"
urlpatterns = [
    path("workdays/", views.workday_list, name="workday_list"),
    path("workdays/new/", views.workday_add, name="workday_add"),
    path("limits/", views.limit_list, name="limit_list"),
    path("limits/new/", views.limit_add, name="limit_add"),
    path("limits/<int:pk>/end/", views.limit_end, name="limit_end"),
]
