from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.core import clock
from hemei.core.choices import Theme
from hemei.divisions.models import Division
from hemei.meetings.models import Meeting
from hemei.tasks.models import Task

TABLE_MAX_BYTES = 5 * 1024 * 1024
REPORT_MAX_BYTES = 2 * 1024 * 1024
REPORT_EXTENSIONS = (".txt", ".docx", ".html", ".htm")
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        initial=lambda: clock.today().year,
        help_text=_("For dates written without a year, such as 6月底 or 年底."),
    )


class DivisionChoiceMixin(forms.Form):
    division = forms.ChoiceField(label=_("Division"))

    def set_divisions(self, divisions: Sequence[Division]) -> None:
        self.divisions = {division.code: division for division in divisions}
        self.fields["division"].choices = [  # type: ignore[attr-defined]
            (division.code, f"{division.name}（{division.code}）") for division in divisions
        ]

    def clean_division(self) -> Division:
        return self.divisions[self.cleaned_data["division"]]


class DecompositionForm(DivisionChoiceMixin):
    meeting = forms.ModelChoiceField(
        label=_("From meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("The meeting that deployed this work, if any."),
    )
    parent = forms.IntegerField(
        label=_("Under task (number)"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to import top-level tasks."),
    )
    year = _year_field()
    file = forms.FileField(label=_("Decomposition table (.xlsx)"))

    def __init__(self, *args: Any, user: Any, divisions: Sequence[Division], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.set_divisions(divisions)
        self.fields["meeting"].queryset = Meeting.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["year"].initial = clock.today().year

    def clean_meeting(self) -> Meeting | None:
        meeting = self.cleaned_data.get("meeting")
        if (
            meeting is not None
            and not Meeting.objects.visible_to(self.user).filter(pk=meeting.pk).exists()
        ):
            raise forms.ValidationError(_("No such meeting."))
        return meeting

    def clean_parent(self) -> Task | None:
        number = self.cleaned_data.get("parent")
        if number is None:
            return None
        task = Task.objects.visible_to(self.user).filter(pk=number).first()
        if task is None:
            raise forms.ValidationError(_("No task with number %(n)s.") % {"n": number})
        return task

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file."))
        if upload.size > TABLE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parent, division = data.get("parent"), data.get("division")
        if (
            parent is not None
            and division is not None
            and not division.code.startswith(parent.division_id)
        ):
            self.add_error("parent", _("The tasks must lie inside the parent task's division."))
        return data


class ReportForm(DivisionChoiceMixin):
    text = forms.CharField(
        label=_("Paste the report"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    file = forms.FileField(
        label=_("or upload it (.txt, .docx, .html)"),
        required=False,
        help_text=_("At most 2 MB; any common Chinese encoding."),
    )
    year = _year_field()

    def __init__(self, *args: Any, divisions: Sequence[Division], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.set_divisions(divisions)
        self.fields["year"].initial = clock.today().year
        self.fields["division"].label = _("Organizing division")

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text") or ""
        if len(text.encode("utf-8", "surrogatepass")) > REPORT_MAX_BYTES:
            raise forms.ValidationError(_("The text is longer than 2 MB."))
        return text

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if PurePath(upload.name).suffix.lower() not in REPORT_EXTENSIONS:
            raise forms.ValidationError(_("Choose a .txt, .docx or .html file."))
        if upload.size > REPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        has_text = bool((data.get("text") or "").strip())
        has_file = data.get("file") is not None
        if "text" in data and "file" in data and has_text == has_file:
            raise forms.ValidationError(
                _("Paste the report or upload its file (one of the two).")
                if not has_text
                else _("Paste the report or upload its file, not both.")
            )
        return data


class MeetingReviewForm(forms.Form):
    name = forms.CharField(label=_("Meeting"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    host = forms.CharField(label=_("Host"), max_length=200, required=False)
    speakers = forms.CharField(
        label=_("Speakers"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attendees = forms.CharField(
        label=_("Attendees"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DirectiveForm(forms.Form):
    keep = forms.BooleanField(label=_("Keep"), required=False)
    text = forms.CharField(
        label=_("Directive"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    lead_unit = forms.TypedChoiceField(label=_("Lead unit"), coerce=int, required=False)
    co_units = forms.TypedMultipleChoiceField(
        label=_("Co-operating units"), coerce=int, required=False
    )
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, unit_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].choices = [("", "—"), *unit_choices]  # type: ignore[attr-defined]
        self.fields["co_units"].choices = unit_choices  # type: ignore[attr-defined]
        self.fields["co_units"].widget.attrs["size"] = 3

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("keep"):
            if not (data.get("text") or "").strip():
                self.add_error("text", _("A kept directive needs its text."))
            if data.get("due_on") is None and "due_on" not in self.errors:
                self.add_error("due_on", _("Give the deadline of a kept directive."))
        return data


DirectiveFormSet = forms.formset_factory(DirectiveForm, extra=0, max_num=1000)
