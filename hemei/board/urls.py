from django.urls import path

from . import views

app_name = "board"
urlpatterns = [
    path("", views.board_list, name="board_list"),
    path("<str:code>/", views.board, name="board"),
    path("<str:code>/qr.svg", views.board_qr, name="board_qr"),
    path("<str:code>/poster/", views.board_poster, name="board_poster"),
    path("<str:code>/settings/", views.board_settings, name="settings"),
]
