from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
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
