from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "hemei.disclosure"
    label = "disclosure"
    verbose_name = _("Village-affairs disclosure")

    def ready(self) -> None:
        # a 四议两公开 resolution or result published in procedures is a disclosure here
        # the board sits below this app; its registry is filled once the models are loaded
        from hemei.board.sections import Section, register

        from . import signals  # noqa: F401
        from .selectors import board_items

        register(
            Section(
                key="disclosure",
                title=_("Village-affairs disclosure (村务公开)"),
                order=40,
                items=board_items,
            )
        )
