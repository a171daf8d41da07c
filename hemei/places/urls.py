from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.layer_list, name="layer_list"),
    path("layers/upload/", views.layer_upload, name="layer_upload"),
    path("layers/<int:pk>/", views.layer_map, name="layer_map"),
    path("layers/<int:pk>/geojson/", views.layer_geojson, name="layer_geojson"),
    path("village/<str:code>/map/", views.village_map, name="village_map"),
    path("village/<str:code>/parcels.geojson", views.village_geojson, name="village_geojson"),
    path("county/<str:code>/map-settings/", views.map_settings, name="map_settings"),
]
