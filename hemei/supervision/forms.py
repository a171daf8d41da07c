"""Forms of the supervision pages: filters, orders and answers, extensions, the ladder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from hemei.core import clock
from hemei.core.uploads import check_upload

from .choices import CardKind, ExtensionState, OrderSource, OrderState, StepKind
from .models import Step

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Largest attachment to an answer, and the kinds accepted.
#: What an answer may carry (checked by type, size and first bytes: ``core.uploads``).
ATTACHMENT_TYPES = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt"}
)

TABS = ("orders", "cards", "extensions")


def state_label(value: str) -> str:
    """The label of an order's state, with its own word for a closed order."""
    if value == OrderState.CLOSED:
        return pgettext("supervision order", "closed")
    return str(OrderState(value).label)


class CentreFilterForm(forms.Form):
    """The supervision centre's filters; a value that does not parse is ignored."""

    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    kind = forms.ChoiceField(label=_("Card"), required=False)
    town = forms.ChoiceField(label=_("Town"), required=False)

    def __init__(self, *args: Any, towns: Any, tab: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("all"))]
        if tab == "orders":
            # "closed" alone is 已撤销 elsewhere: an order that is closed is 已办结.
            states = [(value, state_label(value)) for value in OrderState.values] + [
                ("overdue", _("reply overdue"))
            ]
        elif tab == "extensions":
            states = list(ExtensionState.choices)
        else:
            states = []
        self.fields["state"].choices = every + states
        self.fields["source"].choices = every + list(OrderSource.choices)
        self.fields["kind"].choices = every + list(CardKind.choices)
        self.fields["town"].choices = every + [(t.code, t.name) for t in towns]

    def values(self) -> dict[str, str]:
        self.is_valid()
        values = {name: self.cleaned_data.get(name) or "" for name in self.fields}
        # The search as typed, control characters dropped by the search itself (hemei.core.search)
        values["q"] = str(self.data.get("q", ""))
        return values


class OrderForm(forms.Form):
    text = forms.CharField(
        label=_("What the order demands"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    reply_due = forms.DateField(label=_("Reply due"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("reply_due", clock.today() + dt.timedelta(days=5))


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        check_upload(upload, types=ATTACHMENT_TYPES)
        # A file system takes 255 bytes a name: a long Chinese name is cut, its type kept.
        stem, dot, ext = upload.name.rpartition(".")
        if len(upload.name.encode()) > 120:
            upload.name = f"{stem[:40]}{dot}{ext}"
        return upload


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ExtensionForm(forms.Form):
    requested_due = forms.DateField(label=_("New deadline"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (required when refusing)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Step"), choices=[("", "—"), *StepKind.choices], required=False
    )
    days = forms.IntegerField(
        label=_("Days from the deadline"), required=False, min_value=-365, max_value=365
    )
    reply_days = forms.IntegerField(
        label=_("Days to reply"), required=False, min_value=1, max_value=90
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, days = data.get("kind"), data.get("days")
        if kind and days is None:
            self.add_error("days", _("Give the day of the step."))
        if not kind and days is not None:
            self.add_error("kind", _("Choose the step."))
        if kind and kind != StepKind.REMINDER and days is not None and days < 0:
            self.add_error("days", _("Cards and orders come on or after the deadline."))
        if kind == StepKind.SUPERVISION_ORDER and not data.get("reply_days"):
            self.add_error("reply_days", _("Give the days to reply."))
        return data

    def step(self) -> Step | None:
        data = self.cleaned_data
        if not data.get("kind"):
            return None
        return Step(data["kind"], data["days"], data.get("reply_days") or 0)


StepFormSet = forms.formset_factory(StepForm, extra=3, max_num=20, validate_max=True)

__all__ = [
    "TABS",
    "CentreFilterForm",
    "DecisionForm",
    "ExtensionForm",
    "NoteForm",
    "OrderForm",
    "ReplyForm",
    "StepFormSet",
]
