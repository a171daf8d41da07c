from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "hemei.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from . import documents  # noqa: F401  (registers the approval form as a document kind)
        from .notice_handlers import register_handlers

        register_handlers()  # what a case's public notice does to the case

        from hemei.board.sections import Section, register

        from .selectors import board_items

        register(
            Section(
                key="case_results",
                title=_("Results of cases (办理结果公开)"),
                order=25,
                items=board_items,
            )
        )
