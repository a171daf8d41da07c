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
    path("village/<str:code>/parcels/", views.parcel_list, name="parcels"),
    path("village/<str:code>/parcels/export/", views.parcel_export, name="parcel_export"),
    path("village/<str:code>/import/", views.register_import, name="register_import"),
    path("register/template/", views.register_template, name="register_template"),
    path("parcels/<int:pk>/", views.parcel_detail, name="parcel"),
    path("parcels/<int:pk>/idle/", views.parcel_idle, name="parcel_idle"),
    path("parcels/<int:pk>/exit/", views.parcel_exit, name="parcel_exit"),
    path("parcels/<int:pk>/lease/", views.parcel_lease, name="parcel_lease"),
    path("parcels/<int:pk>/events/<int:event_pk>/file/", views.event_file, name="event_file"),
]
