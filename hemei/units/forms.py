from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.accounts.choices import ADMIN_ROLES
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from .models import Unit


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


class UnitForm(forms.ModelForm):
    division = DivisionCodeField(
        label=_("Division code"),
        help_text=_("The county (or town) the unit belongs to, e.g. 370215."),
    )

    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "division", "is_active", "note"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["division"]
        assert isinstance(field, DivisionCodeField)
        field.queryset = (
            Division.objects.current().filter(level__lte=Level.TOWN).filter(_admin_scope(user))
        )
        if self.instance.pk:
            field.initial = self.instance.division_id


def _admin_scope(user: Any) -> Any:
    from hemei.accounts.scope import scope_filter

    return scope_filter(user, "code", ADMIN_ROLES)
