from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.divisions.choices import Level
from hemei.divisions.forms import DivisionCodeField
from hemei.divisions.models import Division

from .models import Unit


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
    from hemei.accounts.policy import Who, policy_for

    return policy_for(Division).condition(Who(user), "administer").q()
