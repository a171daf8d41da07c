from django.urls import path

from . import views

app_name = "homestead"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("filing/", views.filing, name="filing"),
    path("apply/", views.apply, name="apply"),
    path("limits/", views.limits, name="limits"),
    path("limits/<int:pk>/end/", views.limit_end, name="limit_end"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/flags/<int:flag_pk>/", views.flag, name="flag"),
    path("<int:pk>/opinions/<int:opinion_pk>/", views.opinion, name="opinion"),
    path("<int:pk>/offices/", views.offices, name="offices"),
    path("<int:pk>/visits/new/", views.visit, name="visit"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
    path("<int:pk>/deviations/<int:deviation_pk>/", views.deviation, name="deviation"),
    path("<int:pk>/handback/", views.handback, name="handback"),
    path("<int:pk>/documents/<slug:kind>/", views.document, name="document"),
]
