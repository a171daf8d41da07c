from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "hemei.catalogue"
    label = "catalogue"
    verbose_name = _("Procedure catalogues")

    def ready(self) -> None:
        # the board sits below this app; its registry is filled once the models are loaded
        from hemei.board.sections import Section, register

        from .selectors import board_items

        register(
            Section(
                key="catalogue",
                title=_("Powers and services of the village (清单)"),
                order=20,
                items=board_items,
            )
        )
