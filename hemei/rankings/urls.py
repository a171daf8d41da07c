from django.urls import path

from . import views

app_name = "rankings"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("compute/", views.compute, name="compute"),
    path("history/", views.history, name="history"),
    path("config/", views.config, name="config_home"),
    path("config/<str:code>/", views.config, name="config"),
    path("runs/<int:pk>/circular/", views.export_create, name="export_create"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path(
        "exports/<int:pk>/<str:fmt>/",
        views.export_download,
        name="export_download",
    ),
]
