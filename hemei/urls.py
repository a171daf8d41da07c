from django.urls import include, path

urlpatterns = [
    path("", include("hemei.core.urls")),
    path("accounts/", include("hemei.accounts.urls")),
    path("divisions/", include("hemei.divisions.urls")),
    path("units/", include("hemei.units.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
