from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.core.forms import MultipleFileField

from .choices import ActAction


class StartForm(forms.Form):
    item = forms.ChoiceField(label=_("Item applied for"))
    title = forms.CharField(label=_("Matter"), max_length=200)
    household = forms.CharField(
        label=_("Household number"),
        max_length=30,
        required=False,
        help_text=_("The household that applies (officials starting a case for one)."),
    )
    applicant_name = forms.CharField(label=_("Applicant"), max_length=60, required=False)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    files = MultipleFileField(label=_("Materials"))

    def __init__(self, *args: Any, items: list[Any], official: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [
            (item.code, f"{item.code} {item.name}（{item.get_list_kind_display()}）")
            for item in items
        ]
        if not official:
            del self.fields["household"]
            del self.fields["applicant_name"]


class ActForm(forms.Form):
    """One form for every action on the step in hand; the service checks what each needs."""

    action = forms.ChoiceField(choices=ActAction.choices)
    opinion = forms.CharField(
        label=_("Opinion"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signer = forms.CharField(label=_("Signed by"), max_length=60, required=False)
    sealed = forms.BooleanField(label=_("Sealed"), required=False)
    signed_on = forms.DateField(
        label=_("Date signed"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    to_position = forms.IntegerField(
        label=_("Back to step"), required=False, min_value=1, max_value=999
    )
    days = forms.IntegerField(label=_("Days"), required=False, min_value=1, max_value=365)
    decision = forms.IntegerField(label=_("Decision record"), required=False, min_value=1)
    notice_text = forms.CharField(
        label=_("Text of the public notice"), max_length=2000, required=False
    )
    files = MultipleFileField(label=_("Materials"))
