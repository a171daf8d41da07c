from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you object"), max_length=500, widget=forms.Textarea(attrs={"rows": 4})
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            ("dismissed", _("Dismissed: the notice stands")),
            ("upheld", _("Upheld: the objector is right")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Reason (shown to the objector)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the notice is withdrawn"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
