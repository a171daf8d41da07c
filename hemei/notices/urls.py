from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:pk>/object/", views.objection_create, name="objection_create"),
    path("<int:pk>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
    path("<int:pk>/files/<int:file_pk>/", views.notice_file, name="notice_file"),
    path("<int:pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
]
