"""Version 1 of the API: the endpoint modules register their routes on ``api``."""

from __future__ import annotations

from .. import engine
from . import (
    cases,
    catalogue,
    decisions,
    disclosure,
    docs,
    homestead,
    households,
    links,
    meetings,
    notices,
    notifications,
    places,
    points,
    progress,
    rankings,
    supervision,
    tasks,
)
from .common import v1

v1.add_router("", docs.router)
v1.add_router("", notifications.router)
v1.add_router("", households.router)
v1.add_router("", points.router)
v1.add_router("", links.router)
v1.add_router("", places.router)
v1.add_router("", rankings.router)
v1.add_router("", meetings.router)
v1.add_router("", tasks.router)
v1.add_router("", homestead.router)
v1.add_router("", notices.router)
v1.add_router("", disclosure.router)
v1.add_router("", supervision.router)
v1.add_router("", decisions.router)
v1.add_router("", catalogue.router)
v1.add_router("", cases.router)
v1.add_router("", progress.router)

app_name = "v1"
urlpatterns = engine.urls(v1)
