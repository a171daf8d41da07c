from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import places
from hemei.core.forms import EVIDENCE_ACCEPT, MultipleFileField, PkMultipleChoiceField
from hemei.tasks.models import Milestone, Task

from .evidence import MAX_FILE_BYTES, MAX_FILES_PER_REPORT, CheckedFile, check_file, too_big
from .models import ReportState

#: What the file pickers offer; the server still reads each file's content.
ACCEPT = EVIDENCE_ACCEPT
PHOTO_ACCEPT = "image/*"


class ReportForm(forms.Form):
    percent = forms.DecimalField(
        label=_("Progress (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "1", "inputmode": "decimal"}),
    )
    text = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    milestones = PkMultipleChoiceField(
        label=_("Milestones reached"),
        queryset=Milestone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    files = MultipleFileField(label=_("Photos and documents"))

    def __init__(self, *args: Any, task: Task, existing: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task
        self.existing = existing
        chosen = [m.pk for m in self.initial.get("milestones", [])]
        open_or_chosen = task.milestones.filter(Q(reached_on__isnull=True) | Q(pk__in=chosen))
        if open_or_chosen.exists():
            self.fields["milestones"].queryset = open_or_chosen
        else:
            del self.fields["milestones"]

    def clean_files(self) -> list[CheckedFile]:
        uploads = self.cleaned_data.get("files") or []
        if self.existing + len(uploads) > MAX_FILES_PER_REPORT:
            raise ValidationError(
                _("A report may carry at most %(limit)d files.") % {"limit": MAX_FILES_PER_REPORT}
            )
        checked: list[CheckedFile] = []
        errors: list[ValidationError] = []
        for upload in uploads:
            if upload.size > MAX_FILE_BYTES:  # refused before it is read into memory
                errors.append(too_big(upload.name, upload.size))
                continue
            try:
                checked.append(check_file(upload.name, upload.read()))
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationError(errors)
        return checked


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search task, text or author"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("waiting for review"))]
        + [(v, label) for v, label in ReportState.choices if v != ReportState.DRAFT]
        + [("all", _("all"))],
    )
    division = forms.ChoiceField(label=_("Town"), required=False)
    duplicates = forms.BooleanField(label=_("only with duplicate evidence"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from hemei.divisions.choices import Level

        towns = places(user, "view").current().filter(level=Level.TOWN)
        self.fields["division"].choices = [("", _("all"))] + [
            (code, name) for code, name in towns.order_by("code").values_list("code", "name")
        ]
