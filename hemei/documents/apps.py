from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "hemei.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from . import kinds  # noqa: F401  (registers the generic notice and refusal letter)
