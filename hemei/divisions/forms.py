"""Form fields for choosing a division, shared by every app that asks for one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Division


class DivisionCodeField(forms.CharField):
    """A division entered by its code, limited to a queryset (the user's scope)."""

    def __init__(self, *, queryset: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)
        self.queryset = queryset

    def prepare_value(self, value: Any) -> Any:
        return value.code if isinstance(value, Division) else value

    def clean(self, value: Any) -> Division | None:
        code = super().clean(value)
        if not code:
            return None
        division = self.queryset.filter(code=code.strip()).first() if self.queryset else None
        if division is None:
            raise forms.ValidationError(
                _("No division with code %(code)s in your area."), params={"code": code}
            )
        return division
