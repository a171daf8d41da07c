"""A page with the map widget in drawing mode, for the browser test only (the homestead
application's form is the real user of it): a form with a ``geometry`` field."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path
from django.utils.safestring import mark_safe

from hemei.places import maps

PAGE = """{% extends "base.html" %}{% block content %}
<form method="get" id="drawn">{{ form_field }}
{% include "places/partials/map.html" with map=map height="400px" %}</form>
{% endblock %}"""


def draw(request: HttpRequest) -> HttpResponse:
    options = maps.map_options(
        sources=[], bounds=(120.399, 36.399, 120.401, 36.401), draw="id_geometry"
    )
    template = engines["django"].from_string(PAGE)
    field = '<input type="hidden" name="geometry" id="id_geometry" value="">'
    return HttpResponse(template.render({"map": options, "form_field": mark_safe(field)}, request))


urlpatterns = [
    path("draw/", draw),
    path("", include("hemei.urls")),
]
