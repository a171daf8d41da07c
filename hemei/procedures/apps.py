from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "hemei.procedures"
    label = "procedures"
    verbose_name = _("Procedures")

    def ready(self) -> None:
        # the board sits below this app; its registry is filled once the models are loaded
        from hemei.board.sections import Section, register

        from .selectors import board_items

        register(
            Section(
                key="decisions",
                title=_("Village decisions (四议两公开)"),
                order=30,
                items=board_items,
            )
        )
