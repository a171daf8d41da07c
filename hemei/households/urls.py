from django.urls import path

from . import views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("new/", views.household_create, name="household_create"),
    path("mine/", views.my_household, name="my_household"),
    path("<int:pk>/", views.household_detail, name="household_detail"),
    path("<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("<int:pk>/members/new/", views.member_add, name="member_add"),
    path("<int:pk>/head/", views.head_change, name="head_change"),
    path("<int:pk>/split/", views.household_split, name="household_split"),
    path("<int:pk>/merge/", views.household_merge, name="household_merge"),
    path("<int:pk>/move-out/", views.household_move_out, name="household_move_out"),
    path("residents/<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<int:pk>/remove/", views.resident_remove, name="resident_remove"),
    path("residents/<int:pk>/reveal/<str:field>/", views.resident_reveal, name="resident_reveal"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("import/", views.register_import, name="register_import"),
    path("import/template/", views.import_template, name="import_template"),
    path("full-views/", views.sensitive_view_list, name="sensitive_view_list"),
]
