"""Forms of the meeting pages: the meeting, its decisions (a formset) and an attachment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.core.choices import Theme
from hemei.divisions.forms import DivisionCodeField

from .models import LEVEL_OF_MEETING, MeetingLevel
from .selectors import organizing_divisions
from .services import DecisionRow

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    name = forms.CharField(label=_("Meeting name"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    level = forms.ChoiceField(label=_("Level"), choices=MeetingLevel.choices)
    division = DivisionCodeField(
        label=_("Organizing division code"), help_text=_("For a county meeting, the county.")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    host = forms.CharField(label=_("Host"), max_length=200, required=False)
    speakers = forms.CharField(
        label=_("Speakers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    attendees = forms.CharField(
        label=_("Attendees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    full_text = forms.CharField(
        label=_("Full text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = organizing_divisions(user)  # type: ignore[attr-defined]
        self.fields["division"].widget.attrs["list"] = "division-choices"
        if not self.is_bound and not self.initial.get("division"):
            # A new meeting: start from the highest division the user manages (a town
            # official's town), with the level that division holds.
            home = self.fields["division"].queryset.order_by("level", "code").first()
            if home is not None:
                self.initial["division"] = home.code
                level = {v: k for k, v in LEVEL_OF_MEETING.items()}.get(home.level)
                if level is not None:
                    self.initial["level"] = level

    def meeting_fields(self) -> dict[str, Any]:
        names = ("name", "held_on", "level", "place", "host", "speakers", "attendees", "full_text")
        return {name: self.cleaned_data[name] for name in names}


class DecisionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput, max_value=2**63 - 1)
    number = forms.IntegerField(label=_("No."), min_value=1, max_value=9999, required=False)
    text = forms.CharField(
        label=_("Decision text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    speaker = forms.CharField(label=_("Speaker"), max_length=100, required=False)
    theme = forms.ChoiceField(label=_("Theme"), choices=[("", "—"), *Theme.choices], required=False)
    responsible = forms.CharField(
        label=_("Responsible units as written"), max_length=300, required=False
    )
    deadline_text = forms.CharField(label=_("Deadline as written"), max_length=100, required=False)


class BaseDecisionFormSet(forms.BaseFormSet):
    def rows(self) -> list[DecisionRow]:
        """The filled rows as the service takes them (a row emptied of text is dropped).
        A row written without a number takes the next one after the numbers given."""
        given = [f.cleaned_data.get("number") or 0 for f in self.forms if f.cleaned_data]
        following = max(given, default=0)
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data:
                continue
            delete = bool(data.get("DELETE")) or not data.get("text")
            if delete and not data.get("id"):
                continue
            number = data.get("number")
            if not number and not delete:
                following += 1
                number = following
            rows.append(
                DecisionRow(
                    pk=data.get("id"),
                    number=number or 0,
                    text=data.get("text") or "",
                    speaker=data.get("speaker") or "",
                    theme=data.get("theme") or "",
                    responsible=data.get("responsible") or "",
                    deadline_text=data.get("deadline_text") or "",
                    delete=delete,
                )
            )
        return rows


DecisionFormSet = forms.formset_factory(
    DecisionForm,
    formset=BaseDecisionFormSet,
    extra=3,
    can_delete=True,
    max_num=200,
    validate_max=True,
)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"),
        help_text=_("PDF, Word, Excel, PowerPoint, text or photos (JPEG, PNG), up to 20 MB."),
    )


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("all")), *MeetingLevel.choices], required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
