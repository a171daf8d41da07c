from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/default.xlsx", views.default_sheet, name="default_sheet"),
    path("catalogue/new/", views.item_create, name="item_create"),
    path("catalogue/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("catalogue/import/", views.catalogue_import, name="catalogue_import"),
    path("", views.disclosure_list, name="disclosure_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("<int:pk>/", views.disclosure_detail, name="disclosure_detail"),
    path("<int:pk>/publish/", views.disclosure_publish, name="disclosure_publish"),
    path("<int:pk>/files/<int:file_pk>/", views.disclosure_file, name="disclosure_file"),
    path("town/", views.town, name="town"),
    path("town/start/", views.village_start, name="village_start"),
]
