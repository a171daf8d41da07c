from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("mine/", views.case_mine, name="mine"),
    path("new/", views.case_start, name="start"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/", views.case_act, name="act"),
    path("<int:pk>/files/<int:file_pk>/", views.case_file, name="file"),
    path("<int:pk>/letter/", views.case_letter, name="letter"),
    path("<int:pk>/form/", views.case_form, name="form"),
]
