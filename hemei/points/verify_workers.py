"""Helper processes of ``hemei points verify``: each verifies whole villages on its own
connection (:func:`hemei.points.ledger.verify` shares them out).

Spawned, never forked, so they work the same on Windows; this module imports nothing of
Django at load time, since a spawned process unpickles these functions before Django is
set up."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ledger import Report


def start(settings_module: str, database: dict[str, Any], language: str | None) -> None:
    """Set up Django on the caller's database (its test database too) and language."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    from django.conf import settings

    settings.DATABASES = {**settings.DATABASES, "default": database}
    import django

    django.setup()
    if language:
        from django.utils import translation

        translation.activate(language)


def ready() -> bool:
    """Answers once the helper is up (its :func:`start` has run)."""
    return True


def verify_villages(codes: list[str]) -> Report:
    from .ledger import verify_villages as verify

    return verify(codes)
