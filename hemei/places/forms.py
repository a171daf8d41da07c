from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import places
from hemei.core import clock
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from .choices import LayerKind, LeaseKind
from .models import MapSettings, ReferenceLayer
from .register import MAX_BYTES
from .services import LAYER_MAX_BYTES


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


def counties(user: Any) -> Any:
    """The counties whose layers and map settings the user keeps (the county office)."""
    return places(user, "administer").current().filter(level=Level.COUNTY).order_by("code")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class LayerUploadForm(forms.Form):
    county = CountyChoiceField(label=_("County"), queryset=Division.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=LayerKind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("A new upload with the same kind and name replaces the layer in force."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=ReferenceLayer._meta.get_field("source").help_text,
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput)
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_("Polygons in CGCS2000 (EPSG:4490) or WGS 84 longitude and latitude."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["county"]
        field.queryset = counties(user)  # type: ignore[attr-defined]
        only = list(field.queryset[:2])  # type: ignore[attr-defined]
        if len(only) == 1:
            field.empty_label = None  # type: ignore[attr-defined]
            field.initial = only[0].pk

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > LAYER_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": LAYER_MAX_BYTES // 1024 // 1024}
            )
        return upload


class MapSettingsForm(forms.Form):
    tile_url = forms.CharField(
        label=_("Tile URL template"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "wide", "spellcheck": "false"}),
        help_text=MapSettings._meta.get_field("tile_url").help_text,
    )
    subdomains = forms.CharField(
        label=_("Subdomains"),
        max_length=40,
        required=False,
        help_text=MapSettings._meta.get_field("subdomains").help_text,
    )
    attribution = forms.CharField(
        label=_("Attribution"),
        max_length=200,
        required=False,
        help_text=MapSettings._meta.get_field("attribution").help_text,
    )


DATE = forms.DateInput(attrs={"type": "date"})


def _size(upload: Any) -> Any:
    if upload and upload.size > MAX_BYTES:
        raise forms.ValidationError(_("The file is larger than 10 MB."))
    return upload


class RegisterImportForm(forms.Form):
    workbook = forms.FileField(label=_("Register (Excel, .xlsx)"))
    geojson = forms.FileField(
        label=_("Outlines (GeoJSON or a zipped shapefile, optional)"),
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
