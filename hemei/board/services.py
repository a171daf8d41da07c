"""Changes of the public board: turning a village's board on or off and its two lines."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemei.accounts.audit import diff, record, snapshot
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import allows
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.documents.rendering import PersonalDataInNotice, check_no_personal_data

from .models import BoardSettings
from .selectors import settings_for


@transaction.atomic
def update_board(
    *, actor: Any, village: Division, enabled: bool, welcome: str = "", contact: str = ""
) -> BoardSettings:
    """Turn the village's board on or off and set its welcome text and office contact.

    Refused: a division that is not a village in force; an actor who does not run boards
    there (the village's officials, the town and the county office above); an ID-card or
    mobile number in either line (the board is public and printed)."""
    if village.level != Level.VILLAGE or not village.is_current:
        raise ValidationError(_("Only a village has a public board."))
    current = settings_for(village.code)
    if not allows(actor, "change", current):
        raise PermissionDenied(_("You do not run the public board of this village."))
    welcome, contact = (welcome or "").strip(), (contact or "").strip()
    for name, value in (("welcome", welcome), ("contact", contact)):
        try:
            check_no_personal_data({name: value})
        except PersonalDataInNotice:
            raise ValidationError(
                {
                    name: _(
                        "The public board may not show an ID-card or mobile number. Give "
                        "the office's landline (e.g. 0532-88512345) or leave it out."
                    )
                }
            ) from None
    before = snapshot(current) if not current._state.adding else {}
    current.enabled, current.welcome, current.contact = bool(enabled), welcome, contact
    current.full_clean()
    current.save()
    record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=current,
        changes=diff(before, snapshot(current)),
        division_code=village.code,
    )
    return current
