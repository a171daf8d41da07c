from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.kind_list, name="kind_list"),
    path("template/<int:pk>/", views.template_download, name="template_download"),
    path("<str:code>/", views.county_kinds, name="county_kinds"),
    path("<str:code>/<slug:kind>/", views.kind_detail, name="kind_detail"),
    path("<str:code>/<slug:kind>/upload/", views.template_upload, name="template_upload"),
    path("<str:code>/<slug:kind>/use-default/", views.template_reset, name="template_reset"),
    path("<str:code>/<slug:kind>/default.docx", views.default_download, name="default_download"),
    path("<str:code>/<slug:kind>/preview.docx", views.preview, name="preview"),
]
