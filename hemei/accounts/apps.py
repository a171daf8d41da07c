from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _audit_division_import(sender: Any, *, batch: Any, actor: Any, under: str, **_: Any) -> None:
    """A division table import is a write like any other: it goes into the audit trail."""
    from .audit import record
    from .choices import AuditAction

    record(
        actor=actor,
        action=AuditAction.IMPORT,
        instance=batch,
        changes={
            field: [None, getattr(batch, field)]
            for field in ("added", "renamed", "moved", "closed", "reopened")
        },
        division_code=under,
    )


class AccountsConfig(AppConfig):
    name = "hemei.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from hemei.divisions.signals import table_imported

        table_imported.connect(_audit_division_import, dispatch_uid="accounts.audit_import")
