"""Writes and renders of documents: a county's template upload, going back to the default,
and :func:`render`, the one way an app turns a context into a Word document."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import allows
from hemei.core import clock
from hemei.divisions.choices import CODE_LENGTH, Level
from hemei.divisions.models import Division

from .models import DocumentTemplate
from .registry import DocumentKind, get_kind
from .rendering import TemplateFailed, check_no_personal_data, check_template, render_docx

logger = logging.getLogger(__name__)


def county_of(code: str) -> str:
    """The county a division belongs to (its code's first six digits)."""
    return code[: CODE_LENGTH[Level.COUNTY]]


def may_change(user: Any, county_code: str) -> bool:
    return allows(user, "change", DocumentTemplate(county_id=county_code))


def may_view(user: Any, county_code: str) -> bool:
    return allows(user, "view", DocumentTemplate(county_id=county_code))


def template_in_force(kind: str, county_code: str) -> DocumentTemplate | None:
    """The county's own active template of ``kind``, or None (the default applies)."""
    return DocumentTemplate.objects.active().of(county_code, kind).first()


def _kind(key: str) -> DocumentKind:
    try:
        return get_kind(key)
    except LookupError:
        raise ValidationError(_("There is no such kind of document."), code="kind") from None


def _check_county(actor: Any, county: Division) -> None:
    if county.level != Level.COUNTY:
        raise ValidationError(_("Templates are set for a county."), code="level")
    if not may_change(actor, county.code):
        raise PermissionDenied(_("You do not administer the templates of this county."))


@transaction.atomic
def upload_template(
    actor: Any, county: Division, kind: str, data: bytes, *, name: str = ""
) -> DocumentTemplate:
    """Make ``data`` the county's template of ``kind`` once it renders with the kind's sample
    values; the one in force before is kept as history. A template that fails is refused
    with a :class:`ValidationError` saying why, and nothing is stored."""
    found = _kind(kind)
    _check_county(actor, county)
    check_template(data, found.sample_context())
    digest = hashlib.sha256(data).hexdigest()
    now = clock.now()
    for previous in (
        DocumentTemplate.objects.select_for_update().active().of(county.code, found.key)
    ):
        previous.active = False
        previous.retired_at = now
        previous.save(update_fields=["active", "retired_at"])
    template = DocumentTemplate(
        kind=found.key,
        county=county,
        name=(PurePath((name or found.download_name).replace("\\", "/")).name or "template.docx")[
            :200
        ],
        size=len(data),
        sha256=digest,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_at=now,
    )
    # Stored under a name of our own, so no user-given path reaches the disk.
    template.file.save(f"{digest[:16]}.docx", ContentFile(data), save=False)
    template.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=template,
        changes={"kind": [None, found.key], "sha256": [None, digest], "size": [None, len(data)]},
        division_code=county.code,
    )
    return template


@transaction.atomic
def use_default_template(actor: Any, county: Division, kind: str) -> DocumentTemplate | None:
    """Retire the county's template of ``kind``: the default applies again (None when the
    default already did)."""
    found = _kind(kind)
    _check_county(actor, county)
    current = (
        DocumentTemplate.objects.select_for_update().active().of(county.code, found.key).first()
    )
    if current is None:
        return None
    current.active = False
    current.retired_at = clock.now()
    current.save(update_fields=["active", "retired_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        changes={"active": [True, False]},
        division_code=county.code,
    )
    return current


def template_bytes(kind: str, county_code: str) -> bytes:
    """The template in force: the county's own, else the default."""
    current = template_in_force(kind, county_code)
    if current is not None:
        try:
            with current.file.open("rb") as handle:
                return handle.read()
        except OSError:
            logger.warning("document template %s is missing from storage", current.pk)
    return get_kind(kind).default_bytes()


def render(kind: str, county_code: str, context: Mapping[str, Any]) -> bytes:
    """The document of ``kind`` filled with ``context``, from the template in force of the
    county of ``county_code`` (any division's code: its county's is used)
    (else the default). A public notice whose context holds an unmasked ID-card number or
    mobile number is refused (:class:`~.rendering.PersonalDataInNotice`). Should the county's
    template fail on real data (it passed with the samples), the default is used and the
    failure logged, so that the work is not stopped by a template."""
    found = get_kind(kind)
    if found.public:
        check_no_personal_data(context)
    # a village's or a town's code names its county's template (the first six digits)
    current = template_in_force(found.key, county_of(county_code))
    if current is not None:
        try:
            with current.file.open("rb") as handle:
                return render_docx(handle.read(), context)
        except (TemplateFailed, OSError):
            logger.warning(
                "document template %s of county %s failed; the default was used",
                current.pk,
                county_code,
                exc_info=True,
            )
    return render_docx(found.default_bytes(), context)


def render_sample(kind: str, county_code: str) -> bytes:
    """The template in force filled with the kind's sample values (the preview)."""
    found = get_kind(kind)
    return render_docx(template_bytes(found.key, county_code), found.sample_context())
