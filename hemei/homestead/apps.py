from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomesteadConfig(AppConfig):
    name = "hemei.homestead"
    verbose_name = _("Homestead and house building")

    def ready(self) -> None:
        from . import documents, procedure  # noqa: F401  (registers the forms and the hooks)
