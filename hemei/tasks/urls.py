from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("new/", views.task_create, name="task_create"),
    path("mine/", views.my_work, name="my_work"),
    path("overview/", views.overview, name="overview"),
    path("light-policy/", views.light_policy, name="light_policy"),
    path("leaders/", views.leader_list, name="leader_list"),
    path("leaders/<int:user_pk>/", views.leader_detail, name="leader_detail"),
    path("leaders/links/<int:pk>/delete/", views.leader_link_delete, name="leader_link_delete"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("<int:pk>/subtasks/new/", views.subtask_create, name="subtask_create"),
    path("<int:pk>/fan-out/", views.task_fan_out, name="task_fan_out"),
    path("<int:pk>/tree/", views.task_tree, name="task_tree"),
]
