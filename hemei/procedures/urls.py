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
urlpatterns += [
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/meeting/", views.decision_meeting, name="decision_meeting"),
    path("decisions/<int:pk>/publish/", views.decision_publish, name="decision_publish"),
    path("decisions/<int:pk>/files/<int:file_pk>/", views.decision_file, name="decision_file"),
]
