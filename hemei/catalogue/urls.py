from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("negative/", views.negative_list, name="negative"),
    path("village/<str:code>/", views.village_draft, name="village"),
    path("<int:pk>/", views.catalogue_detail, name="catalogue"),
    path("<int:pk>/draft/", views.draft, name="draft"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/publish/", views.publish, name="publish"),
    path("versions/<int:pk>/adopt/", views.adopt, name="adopt"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("versions/<int:pk>/import/", views.import_items, name="import"),
    path("install/", views.install, name="install"),
]
