from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import PeriodKind
from .models import RankingConfig


class PeriodForm(forms.Form):
    """Which ranking: the area ranked (a county or a town), the kind of period, a day in it."""

    scope = forms.RegexField(
        label=_("Ranked within"),
        regex=r"^\d{6}(\d{3})?$",
        required=False,
        error_messages={"invalid": _("Choose a county or a town.")},
    )
    kind = forms.ChoiceField(
        label=_("Period"), choices=PeriodKind.choices, required=False, initial=PeriodKind.MONTH
    )
    period = forms.DateField(
        label=_("Any day of the period"),
        required=False,
        error_messages={"invalid": _("Enter a date such as 2026-11-01.")},
    )
    division = forms.RegexField(regex=r"^\d{9}(\d{3})?$", required=False)

    def cleaned(self, default_scope: str) -> tuple[str, str, dt.date | None, str]:
        data: dict[str, Any] = self.cleaned_data
        return (
            data.get("scope") or default_scope,
            data.get("kind") or PeriodKind.MONTH,
            data.get("period"),
            data.get("division") or "",
        )


class ConfigForm(forms.ModelForm):
    class Meta:
        model = RankingConfig
        fields = [
            "weight_on_time",
            "weight_overdue",
            "weight_delay",
            "weight_orders",
            "issuing_body",
            "number_prefix",
        ]
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "max": 100})
            for name in ("weight_on_time", "weight_overdue", "weight_delay", "weight_orders")
        }
