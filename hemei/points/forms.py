from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.core import clock
from hemei.core.forms import PkMultipleChoiceField
from hemei.households.models import Household
from hemei.procedures.adoption import MeetingKind

from .choices import CapPeriod, Category, SettlementMode
from .models import Goods, RuleItem, RuleVersion

#: the browser date picker reads and sends ISO dates only, whatever the language
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HouseholdChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Household) -> str:
        return f"{obj.number} {obj.head_name}"


class HouseholdsChoice(PkMultipleChoiceField):
    def label_from_instance(self, obj: Household) -> str:
        return f"{obj.number} {obj.head_name}"


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: RuleItem) -> str:
        return f"{obj.code} {obj.title} ({obj.points:+d})"


def _households(village_code: str) -> Any:
    return (
        Household.objects.filter(village_id=village_code, is_active=True)
        .select_related("head")
        .defer("head__id_number", "head__phone")
    )


class EntryForm(forms.Form):
    household = HouseholdChoice(label=_("Household"), queryset=Household.objects.none())
    item = ItemChoice(label=_("Rule"), queryset=RuleItem.objects.none())
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(
        label=_("Grounds"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label=_("Evidence (photo or PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )

    def __init__(self, *args: Any, village_code: str, version: RuleVersion | None, **kwargs: Any):
        kwargs.setdefault("initial", {}).setdefault("occurred_on", clock.today())
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = _households(village_code)
        self.fields["item"].queryset = version.items.all() if version else RuleItem.objects.none()


class RequestForm(EntryForm):
    """A villager's request: only the rules that give points (nobody asks for a deduction)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        del self.fields["household"]
        self.fields["item"].queryset = self.fields["item"].queryset.filter(points__gt=0)


class BulkForm(forms.Form):
    households = HouseholdsChoice(
        label=_("Choose households"),
        queryset=Household.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    item = ItemChoice(label=_("Rule"), queryset=RuleItem.objects.none())
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(label=_("Grounds"), max_length=500)

    def __init__(self, *args: Any, village_code: str, version: RuleVersion | None, **kwargs: Any):
        kwargs.setdefault("initial", {}).setdefault("occurred_on", clock.today())
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = _households(village_code)
        self.fields["item"].queryset = version.items.all() if version else RuleItem.objects.none()


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Grounds"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Rule code"), max_length=12)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Rule"), max_length=200)
    points = forms.IntegerField(label=_("Point value"), min_value=-1000, max_value=1000)
    evidence = forms.CharField(label=_("Evidence needed"), max_length=200, required=False)
    evidence_required = forms.BooleanField(label=_("Evidence file required"), required=False)
    cap = forms.IntegerField(label=_("Cap"), min_value=1, required=False)
    cap_period = forms.ChoiceField(label=_("Cap period"), choices=CapPeriod.choices)


class AdoptForm(forms.Form):
    meeting_kind = forms.ChoiceField(label=_("Adopted by"), choices=MeetingKind.choices)
    meeting_date = forms.DateField(label=_("Meeting date"), widget=DATE)
    in_force_from = forms.DateField(label=_("In force from"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class DraftForm(forms.Form):
    based_on = forms.ModelChoiceField(
        label=_("Start from"),
        queryset=RuleVersion.objects.none(),
        required=False,
        empty_label=_("an empty version"),
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].queryset = choices


class TemplateForm(forms.Form):
    division = forms.ChoiceField(label=_("Published by"))
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args: Any, divisions: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [(d.code, d.name) for d in divisions]


class GoodsForm(forms.ModelForm):
    class Meta:
        model = Goods
        fields = ["name", "price", "stock"]


class RestockForm(forms.Form):
    goods = forms.ModelChoiceField(label=_("Goods"), queryset=Goods.objects.none())
    added = forms.IntegerField(label=_("Add to stock"), min_value=1, max_value=100000)

    def __init__(self, *args: Any, village_code: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["goods"].queryset = Goods.objects.filter(village_id=village_code)


def one_time_key() -> str:
    """A fresh key for one rendering of a form that moves points (see ``RedeemForm.key``)."""
    return secrets.token_urlsafe(24)


class RedeemForm(forms.Form):
    household = HouseholdChoice(label=_("Household"), queryset=Household.objects.none())
    goods = forms.ModelChoiceField(label=_("Goods"), queryset=Goods.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1000, initial=1)
    #: made afresh each time the form is shown: the same form sent twice (a double tap, a
    #: resend after a lost answer) redeems once
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, village_code: str, own: Household | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["key"].initial = one_time_key()
        self.fields["goods"].queryset = Goods.objects.filter(
            village_id=village_code, is_active=True
        )
        if own is not None:
            del self.fields["household"]
        else:
            self.fields["household"].queryset = _households(village_code)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not 0 < len(data.get("key") or "") <= 64:
            raise forms.ValidationError(
                _("This form is out of date; reload the page and try again.")
            )
        return data


class SettingsForm(forms.Form):
    notice_days = forms.IntegerField(label=_("Public notice (days)"), min_value=1, max_value=60)
    publish_black_list = forms.BooleanField(label=_("Publish the black list"), required=False)
    settlement_mode = forms.ChoiceField(
        label=_("Yearly settlement"), choices=SettlementMode.choices
    )
    star_bands = forms.CharField(
        label=_("Star bands"),
        help_text=_("Points of the year for one, two, … stars, separated by commas."),
    )
    red_list_size = forms.IntegerField(label=_("Red list size"), min_value=1, max_value=100)

    def clean_star_bands(self) -> list[int]:
        text = self.cleaned_data["star_bands"].replace("，", ",")
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Give whole numbers separated by commas.")) from None


class SettleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
