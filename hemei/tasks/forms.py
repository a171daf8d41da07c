"""Forms of the task pages: the list filters, the task with its milestones, fan-out, a
leader's contact points and the light policy. Every choice is limited to the user's scope."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import places
from hemei.core.choices import Theme
from hemei.core.forms import MAX_PK, PkChoiceField, PkMultipleChoiceField, QuickSelect
from hemei.core.search import clean_query
from hemei.divisions.choices import Level
from hemei.divisions.forms import DivisionCodeField, DivisionField
from hemei.divisions.models import Division
from hemei.meetings.models import Decision, Meeting

from . import selectors
from .choices import Light, LinkKind, Priority, State
from .models import LightPolicy, Program, Task

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskFilterForm(forms.Form):
    """The task list's filters; a value that does not parse is ignored, not an error."""

    q = forms.CharField(label=_("Search"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False, widget=QuickSelect)
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect)
    light = forms.ChoiceField(label=_("Light"), required=False, widget=QuickSelect)
    unit = forms.TypedChoiceField(
        label=_("Unit (lead or co-operating)"), required=False, coerce=int, widget=QuickSelect
    )
    county = forms.ChoiceField(label=_("County"), required=False, widget=QuickSelect)
    division = forms.ChoiceField(label=_("Town"), required=False, widget=QuickSelect)
    program = forms.TypedChoiceField(
        label=_("Program"), required=False, coerce=int, widget=QuickSelect
    )
    due_from = forms.DateField(label=_("Deadline from"), required=False, widget=DATE)
    due_to = forms.DateField(label=_("Deadline to"), required=False, widget=DATE)
    open = forms.BooleanField(label=_("Only open"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town = self._code(self.data.get("division"), 12)
        chosen = self._code(self.data.get("county"), 6)
        if chosen and town and not town.startswith(chosen):  # the county changed: forget the town
            self.data = self.data.copy()
            self.data["division"] = ""
        elif town and not chosen:  # a town alone (a link): its county is the one chosen
            self.data = self.data.copy()
            self.data["county"] = town[:6]
        every = [("", _("all"))]
        self.fields["theme"].choices = every + list(Theme.choices)
        self.fields["state"].choices = every + list(State.choices)
        self.fields["light"].choices = every + list(Light.choices)
        self.fields["unit"].choices = every + list(
            selectors.units_for(user).values_list("pk", "name")
        )
        # A province or city user sees over a thousand towns: the town menu lists those of
        # one county only, chosen first in the county menu (a user inside one county gets
        # no county menu, and their towns straight away).
        counties = list(selectors.counties_for(user).values_list("code", "name"))
        county = self.county_code()
        if len(counties) > 1:
            self.fields["county"].choices = every + counties
        else:
            del self.fields["county"]
            county = counties[0][0] if counties else county
        if county or len(counties) <= 1:
            towns = selectors.towns_for(user)
            if county:
                towns = towns.filter(code__startswith=county)
            self.fields["division"].choices = every + list(towns.values_list("code", "name"))
        else:
            self.fields["division"].choices = [("", _("choose a county first"))]
        self.fields["program"].choices = every + list(Program.objects.values_list("pk", "name"))

    @staticmethod
    def _code(value: Any, length: int) -> str:
        code = str(value or "").strip()
        return code if code.isdigit() and len(code) <= length else ""

    def county_code(self) -> str:
        """The county chosen in the county menu (or the one of the town chosen alone)."""
        return self._code(self.data.get("county"), 6)

    def _division_code(self) -> str:
        # Any code narrows the list, a village's too; one outside the user's scope finds nothing.
        code = self._code(self.data.get("division"), 12)
        return code or self._code(self.data.get("county"), 6)

    def filters(self) -> selectors.TaskFilters:
        self.is_valid()  # fields that do not parse are left out of cleaned_data
        data = self.cleaned_data
        return selectors.TaskFilters(
            q=clean_query(self.data.get("q")),
            theme=data.get("theme") or "",
            state=data.get("state") or "",
            light=data.get("light") or "",
            unit=data.get("unit") or None,
            division=self._division_code(),
            program=data.get("program") or None,
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            only_open=bool(data.get("open")),
        )


PROGRAM_SPLIT = re.compile(r"[,，、;；\n]+")


class TaskForm(forms.Form):
    """A task's own fields; the view passes the cleaned data to the task services."""

    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    division = DivisionField(
        label=_("Division"),
        help_text=_(
            "Where the work is done, by name (e.g. 田横镇) or code: the county for a county "
            "task, a town for its part."
        ),
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices, initial=Theme.OTHER)
    programs = PkMultipleChoiceField(
        label=_("Programs"),
        queryset=Program.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_programs = forms.CharField(
        label=_("New programs"),
        required=False,
        max_length=300,
        help_text=_("Names of programs not in the list, separated by commas."),
    )
    lead_leader = PkChoiceField(
        label=_("Lead leader"), queryset=Task.objects.none(), required=False
    )
    lead_unit = PkChoiceField(label=_("Lead unit"), queryset=Task.objects.none(), required=False)
    co_units = PkMultipleChoiceField(
        label=_("Co-operating units"),
        queryset=Task.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    responsible = PkChoiceField(
        label=_("Responsible person"), queryset=Task.objects.none(), required=False
    )
    start_on = forms.DateField(label=_("Start"), required=False, widget=DATE)
    due_on = forms.DateField(label=_("Deadline"), widget=DATE)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )
    is_key = forms.BooleanField(label=_("Key task"), required=False)
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        initial=1,
        help_text=_("Its share in the parent's progress, relative to its siblings."),
    )
    meeting = PkChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False)
    decision = PkChoiceField(
        label=_("Meeting decision"), queryset=Decision.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, parent: Task | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        divisions = selectors.manageable_divisions(user)
        if parent is not None:
            divisions = divisions.within(parent.division_id)
        self.fields["division"].queryset = divisions  # type: ignore[attr-defined]
        self.fields["division"].widget.attrs["list"] = "division-choices"
        self.fields["lead_leader"].queryset = selectors.leaders_for(user)  # type: ignore[attr-defined]
        self.fields["lead_unit"].queryset = selectors.units_for(user)  # type: ignore[attr-defined]
        self.fields["co_units"].queryset = selectors.units_for(user)  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = selectors.people_for(user)  # type: ignore[attr-defined]
        meetings = Meeting.objects.visible_to(user)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["decision"].queryset = Decision.objects.filter(  # type: ignore[attr-defined]
            meeting__in=meetings
        ).select_related("meeting")
        self.fields["lead_leader"].label_from_instance = _person  # type: ignore[attr-defined]
        self.fields["responsible"].label_from_instance = _person  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, due = data.get("start_on"), data.get("due_on")
        if start and due and start > due:
            self.add_error("start_on", _("The start must not be after the deadline."))
        decision, meeting = data.get("decision"), data.get("meeting")
        if decision is not None:
            if meeting is not None and decision.meeting_id != meeting.pk:
                self.add_error("decision", _("The decision belongs to another meeting."))
            data["meeting"] = meeting or decision.meeting
        return data

    def program_names(self) -> list[str]:
        text = self.cleaned_data.get("new_programs") or ""
        return [name.strip() for name in PROGRAM_SPLIT.split(text) if name.strip()]

    def task_fields(self) -> dict[str, Any]:
        """The keyword arguments of ``create_task``/``update_task`` (without programs)."""
        data = self.cleaned_data
        names = (
            "title",
            "description",
            "theme",
            "lead_leader",
            "lead_unit",
            "responsible",
            "start_on",
            "due_on",
            "priority",
            "is_key",
            "weight",
            "meeting",
            "decision",
        )
        return {name: data.get(name) for name in names if name in self.fields}

    def fix(self, names: Iterable[str], help_text: str) -> None:
        """Show these fields' current values read-only (a part's terms set above): a
        disabled field keeps its initial value, so its choices are narrowed to that value
        (which the user may not otherwise be offered)."""
        for name in names:
            field = self.fields[name]
            field.disabled = True
            field.help_text = help_text
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                current = self.initial.get(name)
                pks = current if isinstance(current, list | tuple) else [current]
                field.queryset = queryset.model._default_manager.filter(  # type: ignore[attr-defined]
                    pk__in=[pk for pk in pks if pk is not None]
                )


def _person(user: Any) -> str:
    return f"{user.full_name or user.username}（{user.username}）"


class MilestoneForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput, max_value=MAX_PK)
    name = forms.CharField(label=_("Milestone"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE)
    weight = forms.DecimalField(
        label=_("Weight"), min_value=0, max_digits=7, decimal_places=2, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("name") and not data.get("due_on"):
            self.add_error("due_on", _("A milestone needs a due date."))
        if data.get("due_on") and not data.get("name"):
            self.add_error("name", _("A milestone needs a name."))
        return data


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=3, max_num=20, validate_max=True)


def milestones_of(formset: Any) -> list[tuple[str, Any, Any]]:
    """(name, due, weight) of the filled rows of a valid milestone formset."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if data.get("name"):
            rows.append((data["name"], data["due_on"], data.get("weight") or 1))
    return rows


def milestone_rows(formset: Any) -> list[tuple[int | None, str, Any, Any]]:
    """(id or None, name, due, weight) of the filled rows, for ``services.set_milestones``."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if data.get("name"):
            rows.append((data.get("id"), data["name"], data["due_on"], data.get("weight") or 1))
    return rows


class FanOutForm(forms.Form):
    """Fan a task out to all towns (or villages) below it, or to a chosen few."""

    level = forms.TypedChoiceField(label=_("Fan out to"), coerce=int)
    which = forms.ChoiceField(
        label=_("Which divisions"),
        choices=[("all", _("all of them")), ("some", _("only those ticked"))],
        initial="all",
        widget=forms.RadioSelect,
    )
    codes = forms.MultipleChoiceField(
        label=_("Divisions"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, task: Task, level: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [lv for lv in (Level.TOWN, Level.VILLAGE) if lv > task.division.level]
        self.fields["level"].choices = [(lv, Level(lv).label) for lv in levels]
        self.fields["level"].initial = level
        taken = set(task.children.values_list("division_id", flat=True))
        targets = (
            Division.objects.current()
            .filter(level=level)
            .below(task.division_id)
            .order_by("code")
            .values_list("code", "name")
        )
        self.taken = taken
        self.fields["codes"].choices = [(code, name) for code, name in targets]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("which") == "some" and not data.get("codes"):
            self.add_error("codes", _("Tick at least one division, or choose all of them."))
        return data

    def chosen_codes(self) -> list[str] | None:
        if self.cleaned_data["which"] == "all":
            return None
        return list(self.cleaned_data["codes"])


class LeaderLinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LinkKind.choices)
    division = DivisionCodeField(
        label=_("Division code"),
        required=False,
        help_text=_("The town or village; for a task, leave empty."),
    )
    task = forms.IntegerField(
        label=_("Task number"),
        required=False,
        max_value=MAX_PK,
        help_text=_("For a key task: its number."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["division"].queryset = places(user, "view").current()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind == LinkKind.TASK:
            task = selectors.visible_or_none(self.user, data.get("task"))
            if task is None:
                self.add_error("task", _("No such task in your area."))
            else:
                data["task"] = task
                data["division"] = task.division
        else:
            data["task"] = None
            division = data.get("division")
            expected = Level.TOWN if kind == LinkKind.TOWN else Level.VILLAGE
            if division is None:
                if "division" not in self.errors:
                    self.add_error("division", _("Give the division's code."))
            elif division.level != expected:
                self.add_error(
                    "division",
                    _("Choose a %(level)s.") % {"level": Level(expected).label},
                )
        return data


class LightPolicyForm(forms.ModelForm):
    class Meta:
        model = LightPolicy
        fields = ["yellow_days", "lag_points"]
