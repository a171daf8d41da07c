from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BoardSettings


class BoardSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("The public board is on"), required=False)
    welcome = forms.CharField(
        label=_("Welcome text"),
        required=False,
        max_length=BoardSettings._meta.get_field("welcome").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=BoardSettings._meta.get_field("welcome").help_text,
    )
    contact = forms.CharField(
        label=_("Office contact"),
        required=False,
        max_length=BoardSettings._meta.get_field("contact").max_length,
        help_text=BoardSettings._meta.get_field("contact").help_text,
    )
