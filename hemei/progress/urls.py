from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path("mine/", views.my_reports, name="my_reports"),
    path("tasks/<int:task_pk>/new/", views.report_create, name="report_create"),
    path("tasks/<int:task_pk>/section/", views.task_section, name="task_section"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
