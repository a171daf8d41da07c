from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.divisions.models import Division

from . import timing
from .choices import Audience, PublishLevel
from .sheets import MAX_ROWS

DATE = forms.DateInput(attrs={"type": "date"})
TIMING_HELP = _(
    "Written as the catalogue writes it: 每月10日前, 每季度首月20日前, 每半年，于1月、7月15日前, "
    "每年3月31日前, 信息形成或变更之日起20个工作日内, 随时公开 (within 1 working day) or "
    "随时公开（3个工作日内）; add （遇节假日不顺延） to keep a date that falls on a rest day."
)


class DivisionChoiceField(forms.ChoiceField):
    """One of the divisions offered (by code); cleans to the Division."""

    def __init__(self, *args: Any, divisions: list[Division] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.divisions = {d.code: d for d in divisions}
        self.choices = [(d.code, d.name) for d in divisions]

    def clean(self, value: Any) -> Division:
        code = super().clean(value)
        return self.divisions[code]


class ItemForm(forms.Form):
    division = DivisionChoiceField(label=_("Catalogue of"))
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=9999)
    key = forms.CharField(
        label=_("Key"),
        max_length=60,
        help_text=_("What other modules name the item by, e.g. finance.monthly."),
    )
    level1 = forms.CharField(label=_("Level-1 item"), max_length=60)
    level2 = forms.CharField(label=_("Level-2 item"), max_length=100, required=False)
    content = forms.CharField(
        label=_("Content and elements"), widget=forms.Textarea(attrs={"rows": 3})
    )
    basis = forms.CharField(
        label=_("Basis"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    timing_text = forms.CharField(label=_("Timing"), max_length=100, help_text=TIMING_HELP)
    publisher = forms.CharField(label=_("Who publishes"), max_length=100)
    channel = forms.CharField(label=_("Channel and medium"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=PublishLevel.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    mask_fields = forms.CharField(
        label=_("Fields to mask"),
        required=False,
        max_length=300,
        help_text=_("Separated by 、 e.g. 身份证号、银行账号、联系电话."),
    )
    valid_from = forms.DateField(label=_("In force from"), widget=DATE)
    valid_to = forms.DateField(label=_("In force until"), required=False, widget=DATE)

    def __init__(self, *args: Any, divisions: list[Division], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"] = DivisionChoiceField(label=_("Catalogue of"), divisions=divisions)

    def clean_timing_text(self) -> timing.TimingRule:
        text = self.cleaned_data["timing_text"]
        try:
            return timing.parse_timing(text)
        except timing.BadTiming:
            raise forms.ValidationError(
                _("Cannot read “%(text)s” as a timing rule."), params={"text": text}
            ) from None

    def clean_mask_fields(self) -> list[str]:
        text = self.cleaned_data["mask_fields"]
        return [
            p.strip() for p in text.replace("，", "、").replace(",", "、").split("、") if p.strip()
        ]

    def clean_key(self) -> str:
        return self.cleaned_data["key"].strip().lower()


class ImportForm(forms.Form):
    division = DivisionChoiceField(label=_("Catalogue of"))
    file = forms.FileField(
        label=_("Excel file"),
        help_text=_("At most %(n)s rows, in the columns of the exported catalogue.")
        % {"n": MAX_ROWS},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, divisions: list[Division], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"] = DivisionChoiceField(label=_("Catalogue of"), divisions=divisions)


class AdoptForm(forms.Form):
    village = forms.CharField(max_length=12, min_length=12)
    since = forms.DateField(label=_("Follows the catalogue from"), widget=DATE)

    def clean_village(self) -> Division:
        code = self.cleaned_data["village"].strip()
        village = Division.objects.filter(code=code).first() if code.isdigit() else None
        if village is None:
            raise forms.ValidationError(_("No village has this code."))
        return village


class EventForm(forms.Form):
    village = DivisionChoiceField(label=_("Village"))
    item = forms.ChoiceField(label=_("Item"))
    happened_on = forms.DateField(label=_("Arose on"), widget=DATE)
    title = forms.CharField(label=_("Matter"), max_length=150)

    def __init__(
        self, *args: Any, villages: list[Division], items: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"] = DivisionChoiceField(label=_("Village"), divisions=villages)
        self.fields["item"].choices = [(i.key, f"{i.name}（{i.timing_text}）") for i in items]


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Any number of files; each is checked by its content in the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", _MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(_MultipleFileField, self).clean(item, initial) for item in files if item]


class PublishForm(forms.Form):
    published_on = forms.DateField(label=_("Posted on"), widget=DATE)
    text = forms.CharField(
        label=_("What was published"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "No ID-card, phone or bank numbers and no health details; mask them (139****1234). "
            "Word and Excel files are checked too; for a PDF or a photo the publisher answers."
        ),
    )
    files = _MultipleFileField(label=_("Attachments"))
