from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("ladder/", views.ladder, name="ladder"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("replies/<int:pk>/attachment/", views.reply_attachment, name="reply_attachment"),
    path("extensions/<int:pk>/", views.extension_detail, name="extension_detail"),
    path("tasks/<int:task_pk>/section/", views.task_section, name="task_section"),
    path("tasks/<int:task_pk>/orders/new/", views.order_create, name="order_create"),
    path("tasks/<int:task_pk>/extensions/new/", views.extension_create, name="extension_create"),
]
