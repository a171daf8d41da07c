from django.urls import include, path

urlpatterns = [
    path("", include("hemei.home.urls")),
    path("accounts/", include("hemei.accounts.urls")),
    path("divisions/", include("hemei.home.division_urls")),
    path("units/", include("hemei.units.urls")),
    path("notifications/", include("hemei.notifications.urls")),
    path("meetings/", include("hemei.meetings.urls")),
    path("tasks/", include("hemei.tasks.urls")),
    path("progress/", include("hemei.progress.urls")),
    path("supervision/", include("hemei.supervision.urls")),
    path("rankings/", include("hemei.rankings.urls")),
    path("intake/", include("hemei.intake.urls")),
    path("api/", include("hemei.api.urls")),
    path("households/", include("hemei.households.urls")),
    path("points/", include("hemei.points.urls")),
    path("documents/", include("hemei.documents.urls")),
    path("procedures/", include("hemei.procedures.urls")),
    path("disclosure/", include("hemei.disclosure.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
