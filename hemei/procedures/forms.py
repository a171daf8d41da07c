from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.core.forms import MultipleFileField
from hemei.divisions.models import Division

from . import calendar
from .models import FIRST_YEAR, LAST_YEAR, DecisionProcess, TimeLimit

DATES_HELP = _(
    "One date per line or separated by commas, e.g. 2027-01-01; a run of days as "
    "2027-02-05至2027-02-11."
)


class DateListField(forms.CharField):
    """Dates typed as a list (see :func:`hemei.procedures.calendar.parse_dates`)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value: Any) -> list[dt.date]:
        text = super().clean(value) or ""
        try:
            return calendar.parse_dates(text)
        except calendar.BadDate as exc:
            raise forms.ValidationError(
                _(
                    "“%(text)s” is not a date (write 2027-02-05) or a run of days (write "
                    "2027-02-05至2027-02-11)."
                ),
                params={"text": exc.text},
            ) from None


class WorkdayYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    holidays = DateListField(
        label=_("Holidays (rest days)"),
        required=False,
        help_text=DATES_HELP,
    )
    workdays = DateListField(
        label=_("Adjusted working days (weekend days worked)"),
        required=False,
        help_text=DATES_HELP,
    )
    source = forms.CharField(
        label=_("Source document"),
        max_length=200,
        help_text=_("The notice the dates come from, e.g. 国办发明电〔2026〕7号."),
    )
    supersedes = forms.BooleanField(
        label=_("Replaces the known schedule"),
        required=False,
        help_text=_(
            "Only for a year the platform already knows (an amended notice): these dates then "
            "replace that year's schedule as a whole."
        ),
    )


class LimitForm(forms.ModelForm):
    division = forms.ChoiceField(label=_("Applies to"))

    class Meta:
        model = TimeLimit
        fields = [
            "division",
            "key",
            "name",
            "days",
            "unit",
            "extension_days",
            "basis",
            "valid_from",
            "valid_to",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "basis": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, divisions: list[Division], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.divisions = {d.code: d for d in divisions}
        self.fields["division"].choices = [(d.code, d.name) for d in divisions]

    def clean_division(self) -> Division:
        return self.divisions[self.cleaned_data["division"]]

    def _post_clean(self) -> None:
        # The service validates the row (and refuses overlaps) when it saves it.
        pass


class EndLimitForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Last day in force"), widget=forms.DateInput(attrs={"type": "date"})
    )


class AddCalculatorForm(forms.Form):
    start = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label=_("Working days"), min_value=-3650, max_value=3650)


class BetweenCalculatorForm(forms.Form):
    first = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))


# --------------------------------------------------------------------------- 四议两公开


class DecisionRecordForm(forms.Form):
    village = forms.CharField(
        label=_("Village code"),
        max_length=12,
        min_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    title = forms.CharField(label=_("Matter"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    process = forms.ModelChoiceField(label=_("Process"), queryset=DecisionProcess.objects.none())
    merged_first_steps = forms.BooleanField(
        label=_("One meeting proposes and confers (一肩挑)"),
        required=False,
        help_text=_(
            "The branch secretary is also the committee director: steps 1 and 2 are one meeting."
        ),
    )

    def __init__(self, *args: Any, processes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes
        first = processes.first()
        if first is not None:
            self.fields["process"].initial = first.pk

    def clean_village(self) -> Division:
        code = self.cleaned_data["village"].strip()
        village = Division.objects.filter(code=code).first() if code.isdigit() else None
        if village is None:
            raise forms.ValidationError(_("No village has this code."))
        return village


class DecisionMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    entitled = forms.IntegerField(label=_("Entitled to attend"), min_value=1, max_value=100000)
    present = forms.IntegerField(label=_("Present"), min_value=0, max_value=100000)
    votes_for = forms.IntegerField(label=_("For"), min_value=0, max_value=100000)
    against = forms.IntegerField(label=_("Against"), min_value=0, max_value=100000)
    abstain = forms.IntegerField(label=_("Abstaining"), min_value=0, max_value=100000)
    minutes = forms.FileField(
        label=_("Minutes"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.docx"}),
    )
    photos = MultipleFileField(label=_("Photos"), accept="image/*")
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionPublishForm(forms.Form):
    published_on = forms.DateField(
        label=_("Published on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(label=_("What was published"), widget=forms.Textarea(attrs={"rows": 6}))
