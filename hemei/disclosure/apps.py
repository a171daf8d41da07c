from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "hemei.disclosure"
    label = "disclosure"
    verbose_name = _("Village-affairs disclosure")

    def ready(self) -> None:
        # a 四议两公开 resolution or result published in procedures is a disclosure here
        from . import signals  # noqa: F401
