"""A model field whose column holds ciphertext while Python sees the plain text."""

from __future__ import annotations

from typing import Any

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Encrypted at rest with :mod:`hemei.households.crypto`.

    The ciphertext differs on every save, so the column cannot be filtered on: look values up
    through a blind-index column instead. An empty value stays empty (nothing to hide).
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)
