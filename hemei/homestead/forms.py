from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.core.forms import MultipleFileField

from .choices import BuildType, DeviationKind, Disposal, LandType, Office, Side, Terrain, VisitStage

AREA = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal(0)}


def _number(**kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}), **AREA, **kwargs
    )


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class ApplyForm(forms.Form):
    """The application form (申请表): the household comes from the register."""

    household = forms.CharField(
        label=_("Household number"),
        max_length=30,
        required=False,
        help_text=_("The household that applies (officials filing for one)."),
    )
    build_type = forms.ChoiceField(label=_("Building type"), choices=BuildType.choices)
    reason = forms.CharField(
        label=_("Reason for applying"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    address = forms.CharField(label=_("Address of the proposed homestead"), max_length=200)
    east = forms.CharField(label=_("East of it"), max_length=60, required=False)
    south = forms.CharField(label=_("South of it"), max_length=60, required=False)
    west = forms.CharField(label=_("West of it"), max_length=60, required=False)
    north = forms.CharField(label=_("North of it"), max_length=60, required=False)
    terrain = forms.ChoiceField(label=_("Terrain"), choices=Terrain.choices)
    land_type = forms.ChoiceField(label=_("Land type"), choices=LandType.choices)
    fits_plan = forms.TypedChoiceField(
        label=_("Fits the village plan"),
        choices=[("1", _("yes")), ("0", _("no"))],
        coerce=lambda v: v == "1",
        initial="1",
    )
    site_area = _number(label=_("Homestead area (m²)"))
    footprint = _number(label=_("Footprint (m²)"))
    floor_area = _number(label=_("Floor area (m²)"))
    floors = forms.IntegerField(label=_("Floors"), min_value=1, max_value=9)
    height = _number(label=_("Height (m)"))
    base_height = _number(label=_("Base height (m)"), required=False)
    design = forms.CharField(
        label=_("Standard design number"),
        max_length=60,
        required=False,
        help_text=_("Empty: own design (in the local style)."),
    )
    disposal = forms.ChoiceField(label=_("Current homestead"), choices=Disposal.choices)
    current_site_area = _number(label=_("Current homestead area (m²)"), required=False)
    current_floor_area = _number(label=_("Current floor area (m²)"), required=False)
    current_certificate = forms.CharField(
        label=_("Title certificate number"), max_length=60, required=False
    )
    handback_promised = forms.BooleanField(
        label=_("I promise to demolish the old house and hand back the old homestead (new site)"),
        required=False,
    )
    geometry = forms.CharField(
        label=_("Proposed parcel (drawn on the map, or GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "geometry-input"}),
    )
    geometry_file = forms.FileField(
        label=_("Or upload the surveyor's file (GeoJSON, or a zipped shapefile)"), required=False
    )
    files = MultipleFileField(
        label=_("Materials (photos of the household register, ID cards, the promise)")
    )

    def __init__(self, *args: Any, official: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not official:
            del self.fields["household"]
        for side in Side.values:
            self.fields[f"neighbour_{side}"] = forms.CharField(
                label=_("Neighbour to the %(side)s") % {"side": Side(side).label},
                max_length=60,
                required=False,
            )
            self.fields[f"neighbour_{side}_agrees"] = forms.TypedChoiceField(
                label=_("agrees"),
                choices=[("", "—"), ("1", _("agrees")), ("0", _("objects"))],
                coerce=lambda v: v == "1",
                empty_value=None,
                required=False,
            )

    #: (legend, field names, laid out in a grid of short fields)
    SECTIONS = (
        (_("Household"), ("household",), False),
        (_("The new homestead and house"), ("build_type", "reason", "address"), False),
        (_("Boundaries"), ("east", "south", "west", "north"), True),
        (_("Land"), ("terrain", "land_type", "fits_plan"), True),
        (
            _("Areas and height"),
            ("site_area", "footprint", "floor_area", "floors", "height", "base_height"),
            True,
        ),
        (_("Design"), ("design",), False),
        (
            _("The current homestead"),
            (
                "disposal",
                "current_site_area",
                "current_floor_area",
                "current_certificate",
                "handback_promised",
            ),
            False,
        ),
    )

    def sections(self) -> list[tuple[Any, list[Any], bool]]:
        """The form's fieldsets, with the fields this user has."""
        return [
            (legend, [self[name] for name in names if name in self.fields], grid)
            for legend, names, grid in self.SECTIONS
            if any(name in self.fields for name in names)
        ]

    def neighbour_fields(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"neighbour_{side}"], self[f"neighbour_{side}_agrees"]) for side in Side.values
        ]

    def neighbours(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "side": side,
                "name": data.get(f"neighbour_{side}") or "",
                "agrees": data.get(f"neighbour_{side}_agrees"),
            }
            for side in Side.values
        ]


class FlagForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    signer = forms.CharField(label=_("Signed by"), max_length=60)


class OpinionForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label=_("Opinion"),
        choices=[("1", _("agrees")), ("0", _("does not agree"))],
        coerce=lambda v: v == "1",
    )
    opinion = forms.CharField(
        label=_("Opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    signer = forms.CharField(label=_("Signed by"), max_length=60)
    sealed = forms.BooleanField(label=_("Sealed"), required=False)
    signed_on = _date(_("Date signed"), required=False)


class OfficesForm(forms.Form):
    offices = forms.MultipleChoiceField(
        label=_("Offices also consulted"),
        choices=[(o.value, o.label) for o in Office if o.value not in Office.always()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class VisitForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=VisitStage.choices)
    visited_on = _date(_("Date"))
    officials = forms.CharField(label=_("Officials present"), max_length=200)
    builder = forms.CharField(
        label=_("Site manager (the builder)"),
        max_length=60,
        required=False,
        help_text=_("Recorded at staking out: who builds the house."),
    )
    neighbours = forms.MultipleChoiceField(
        label=_("Neighbours present and signing"),
        choices=Side.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    site_area = _number(label=_("Measured homestead area (m²)"), required=False)
    footprint = _number(label=_("Measured footprint (m²)"), required=False)
    floors = forms.IntegerField(label=_("Floors"), min_value=0, max_value=9, required=False)
    height = _number(label=_("Height (m)"), required=False)
    note = forms.CharField(
        label=_("What was found"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deviation = forms.ChoiceField(
        label=_("Deviation found"), choices=[("", "—"), *DeviationKind.choices], required=False
    )
    deviation_text = forms.CharField(
        label=_("Details of the deviation"), max_length=1000, required=False
    )
    correct_by = _date(_("Correct by"), required=False)
    photos = MultipleFileField(label=_("Photos of the site"))

    def deviations(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        if not data.get("deviation"):
            return []
        return [
            {
                "kind": data["deviation"],
                "text": data.get("deviation_text") or "",
                "correct_by": data.get("correct_by"),
            }
        ]


class DeviationForm(forms.Form):
    answer = forms.CharField(
        label=_("How it was corrected"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    corrected_on = _date(_("Corrected on"), required=False)


class HandbackForm(forms.Form):
    on = _date(_("Handed back on"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class LimitForm(forms.Form):
    terrain = forms.ChoiceField(label=_("Terrain"), choices=Terrain.choices)
    max_site_area = _number(label=_("Homestead area at most (m²)"))
    max_floor_area = _number(label=_("Floor area at most (m²)"), required=False)
    max_floors = forms.IntegerField(
        label=_("Floors at most"), min_value=1, max_value=9, required=False
    )
    max_height = _number(label=_("Height at most (m)"), required=False)
    basis = forms.CharField(label=_("Legal basis"), max_length=500)
    valid_from = _date(_("In force from"))
    valid_to = _date(_("Valid until"), required=False)


class EndLimitForm(forms.Form):
    valid_to = _date(_("Valid until"))
