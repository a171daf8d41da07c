from django.urls import path

from . import views

app_name = "points"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_household, name="my_household"),
    path("me/request/", views.request_create, name="request_create"),
    path("templates/", views.template_list, name="template_list"),
    path("rules/<int:pk>/", views.version_detail, name="version_detail"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/object/", views.objection_create, name="objection_create"),
    path(
        "entries/<int:pk>/evidence/<int:evidence_pk>/",
        views.evidence_file,
        name="evidence_file",
    ),
    path("v/<str:code>/", views.village, name="village"),
    path("v/<str:code>/settings/", views.village_settings, name="village_settings"),
    path("v/<str:code>/rules/", views.rules, name="rules"),
    path("v/<str:code>/entries/", views.entry_list, name="entry_list"),
    path("v/<str:code>/entries/new/", views.entry_create, name="entry_create"),
    path("v/<str:code>/entries/bulk/", views.entry_bulk, name="entry_bulk"),
    path("v/<str:code>/review/", views.review_queue, name="review_queue"),
    path("v/<str:code>/notice/", views.notice, name="notice"),
    path("v/<str:code>/notice.docx", views.notice_docx, name="notice_docx"),
    path("v/<str:code>/ledger/", views.ledger, name="ledger"),
    path("v/<str:code>/shop/", views.shop, name="shop"),
    path("v/<str:code>/rankings/", views.rankings, name="rankings"),
    path("t/<str:code>/rankings/", views.town_rankings, name="town_rankings"),
]
