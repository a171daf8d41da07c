from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "hemei.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from .notice_handlers import register_handlers

        register_handlers()  # what a case's public notice does to the case
