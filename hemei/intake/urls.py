from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("decomposition/", views.decomposition_import, name="decomposition_import"),
    path(
        "decomposition/template.xlsx",
        views.decomposition_template,
        name="decomposition_template",
    ),
    path("decomposition/<int:pk>/", views.decomposition_preview, name="decomposition_preview"),
    path(
        "decomposition/<int:pk>/confirm/",
        views.decomposition_confirm,
        name="decomposition_confirm",
    ),
    path("report/", views.report_ingest, name="report_ingest"),
    path("report/<int:pk>/", views.report_review, name="report_review"),
]
