from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "hemei.notices"
    label = "notices"
    verbose_name = _("Public notices")

    def ready(self) -> None:
        # the board sits below this app; its registry is filled once the models are loaded
        from hemei.board.sections import Section, register

        from .selectors import board_items

        register(
            Section(key="notices", title=_("Public notices (公示)"), order=10, items=board_items)
        )
