from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "hemei.points"
    verbose_name = _("Governance points")

    def ready(self) -> None:
        from . import documents  # noqa: F401  (registers the points notice as a document kind)
        from .notice_handlers import register_handlers

        register_handlers()  # what the public notices do to the entries
