from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.core import clock

from .choices import LeaseKind
from .register import MAX_BYTES

DATE = forms.DateInput(attrs={"type": "date"})


def _size(upload: Any) -> Any:
    if upload and upload.size > MAX_BYTES:
        raise forms.ValidationError(_("The file is larger than 10 MB."))
    return upload


class RegisterImportForm(forms.Form):
    workbook = forms.FileField(label=_("Register (Excel, .xlsx)"))
    geojson = forms.FileField(
        label=_("Outlines (GeoJSON, optional)"),
        required=False,
        help_text=_("Each feature carries the 宗地编号 of its row."),
    )

    def clean_workbook(self) -> Any:
        return _size(self.cleaned_data["workbook"])

    def clean_geojson(self) -> Any:
        return _size(self.cleaned_data.get("geojson"))


class IdleForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE, initial=clock.today)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ExitForm(forms.Form):
    on = forms.DateField(label=_("Date of the agreement"), widget=DATE, initial=clock.today)
    compensation = forms.DecimalField(
        label=_("Compensation (yuan)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    agreement = forms.FileField(label=_("Exit agreement (optional)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class LeaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Way"), choices=LeaseKind.choices)
    lessee = forms.CharField(label=_("Lessee"), max_length=100)
    outsider = forms.BooleanField(
        label=_("The lessee is a town resident or a business (not a member of the collective)"),
        required=False,
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
