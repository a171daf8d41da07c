from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.accounts.choices import Role
from hemei.accounts.models import User
from hemei.accounts.policy import places
from hemei.core import clock
from hemei.core.forms import PkMultipleChoiceField
from hemei.divisions.choices import Level
from hemei.divisions.models import Division

from .choices import Gender, Relation
from .models import Household, Resident, VillageGroup

MEMBER_RELATIONS = [choice for choice in Relation.choices if choice[0] != Relation.HEAD]


def villages(user: Any, *, write: bool) -> Any:
    """The villages the user may read (or write) the register of."""
    action = "write_register" if write else "read_village"
    return places(user, action).current().filter(level=Level.VILLAGE).order_by("code")


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"

    def offer(self, queryset: Any) -> None:
        """The villages to choose from; a village official's only village comes chosen."""
        self.queryset = queryset
        only = list(queryset[:2])
        if len(only) == 1:
            self.empty_label = None
            self.initial = only[0].pk


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _date_field() -> forms.DateField:
    return forms.DateField(label=_("Date"), initial=clock.today, widget=DateInput)


class PersonForm(forms.Form):
    """A person's details; the services validate ID numbers and phones."""

    name = forms.CharField(label=_("Full name"), max_length=50)
    relation = forms.ChoiceField(label=_("Relation to head"), choices=MEMBER_RELATIONS)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=20,
        required=False,
        help_text=_("18 characters; birth date and gender are read from it when left empty."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class ResidentEditForm(PersonForm):
    """Correct a member's details; protected values are kept unless a new one is typed."""

    account = forms.ModelChoiceField(
        label=_("Villager account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Links the person to their account, for the villager's own pages."),
    )

    def __init__(self, *args: Any, resident: Resident, **kwargs: Any) -> None:
        initial = {
            "name": resident.name,
            "relation": resident.relation,
            "gender": resident.gender,
            "birth_date": resident.birth_date,
            "account": resident.user_id,
        }
        super().__init__(*args, initial=initial, **kwargs)
        if resident.is_head:
            del self.fields["relation"]
        for name, masked in (
            ("id_number", resident.masked_id_number),
            ("phone", resident.masked_phone),
        ):
            self.fields[name].help_text = _("Leave empty to keep %(masked)s.") % {
                "masked": masked or "—"
            }
        linked = Resident.objects.exclude(pk=resident.pk).filter(user__isnull=False)
        self.fields["account"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                role_assignments__role=Role.VILLAGER,
                role_assignments__division_id=resident.village_id,
            )
            .exclude(pk__in=linked.values("user_id"))
            .distinct()
        )
        self.fields["account"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: f"{user.full_name or user.username} ({user.username})"
        )


class HeadForm(PersonForm):
    """The head's details, labelled as the head's: the form is about a household."""

    HEAD_LABELS = {
        "name": _("Head's full name"),
        "gender": _("Head's gender"),
        "birth_date": _("Head's birth date"),
        "id_number": _("Head's ID number"),
        "phone": _("Head's phone"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["relation"]
        for name, label in self.HEAD_LABELS.items():
            self.fields[name].label = label


class HouseholdCreateForm(HeadForm):
    village = VillageChoiceField(label=_("Village"), queryset=Division.objects.none())
    number = forms.CharField(label=_("Household number"), max_length=30)
    group = forms.ModelChoiceField(
        label=_("Village group"), queryset=VillageGroup.objects.none(), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    moved_in = forms.BooleanField(label=_("Moved in from elsewhere"), required=False, initial=False)
    date = forms.DateField(label=_("Registered on"), initial=clock.today, widget=DateInput)

    field_order = ["village", "number", "group", "address", "name", "gender", "birth_date"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].offer(villages(user, write=True))  # type: ignore[attr-defined]
        self.fields["group"].queryset = VillageGroup.objects.restrict(user, "change")  # type: ignore[attr-defined]


class HouseholdEditForm(forms.Form):
    number = forms.CharField(label=_("Household number"), max_length=30)
    group = forms.ModelChoiceField(
        label=_("Village group"), queryset=VillageGroup.objects.none(), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = VillageGroup.objects.filter(  # type: ignore[attr-defined]
            village_id=household.village_id
        )


class MemberAddForm(PersonForm):
    moved_in = forms.BooleanField(label=_("Moved in from elsewhere"), required=False)
    date = _date_field()
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class MemberRemoveForm(forms.Form):
    moved_out = forms.BooleanField(
        label=_("Moved out of the village"),
        required=False,
        help_text=_("Leave unticked for a death or other reasons; give them in the note."),
    )
    date = _date_field()
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class EventForm(forms.Form):
    date = _date_field()
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RelationsMixin:
    """One ``relation_<id>`` choice per member, e.g. their relation to a new head."""

    def add_relations(self, members: list[Resident], *, label: str) -> None:
        self.relation_members = members
        for member in members:
            self.fields[f"relation_{member.pk}"] = forms.ChoiceField(  # type: ignore[attr-defined]
                label=f"{member.name} · {label}",
                choices=MEMBER_RELATIONS,
                initial=member.relation if member.relation != Relation.HEAD else Relation.OTHER,
                required=False,
            )

    def relations(self) -> dict[int, str]:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return {
            member.pk: data[f"relation_{member.pk}"]
            for member in self.relation_members
            if data.get(f"relation_{member.pk}")
        }


class ChangeHeadForm(RelationsMixin, EventForm):
    new_head = forms.ModelChoiceField(label=_("New head"), queryset=Resident.objects.none())
    former_head_relation = forms.ChoiceField(
        label=_("Former head's relation to the new head"), choices=MEMBER_RELATIONS
    )

    field_order = ["new_head", "former_head_relation", "date", "note"]

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = household.members.filter(is_active=True).exclude(pk=household.head_id)
        self.fields["new_head"].queryset = others  # type: ignore[attr-defined]
        if household.head_id is None or not household.head.is_active:  # type: ignore[union-attr]
            del self.fields["former_head_relation"]


class SplitForm(RelationsMixin, EventForm):
    members = PkMultipleChoiceField(
        label=_("Members who leave"),
        queryset=Resident.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    new_head = forms.ModelChoiceField(
        label=_("Head of the new household"), queryset=Resident.objects.none()
    )
    new_number = forms.CharField(label=_("New household number"), max_length=30)
    address = forms.CharField(
        label=_("Address of the new household"), max_length=200, required=False
    )

    field_order = ["members", "new_head", "new_number", "address", "date", "note"]

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leavers = household.members.filter(is_active=True).exclude(pk=household.head_id)
        self.fields["members"].queryset = leavers  # type: ignore[attr-defined]
        self.fields["new_head"].queryset = leavers  # type: ignore[attr-defined]
        self.fields["address"].initial = household.address
        self.add_relations(list(leavers), label=_("relation to the new head, if leaving"))


class MergeForm(RelationsMixin, EventForm):
    target = forms.ModelChoiceField(
        label=_("Merge into household"), queryset=Household.objects.none()
    )

    field_order = ["target", "date", "note"]

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (  # type: ignore[attr-defined]
            Household.objects.active()
            .filter(village_id=household.village_id)
            .exclude(pk=household.pk)
            .select_related("head")
        )
        self.fields["target"].label_from_instance = (  # type: ignore[attr-defined]
            lambda h: f"{h.number} {h.head_name}"
        )
        self.add_relations(
            list(household.members.filter(is_active=True)),
            label=_("relation to the head of the other household"),
        )


class VillageGroupForm(forms.Form):
    village = VillageChoiceField(label=_("Village"), queryset=Division.objects.none())
    name = forms.CharField(label=_("Group name"), max_length=50)
    number = forms.IntegerField(label=_("Number"), min_value=0, max_value=999, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].offer(villages(user, write=True))  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    village = VillageChoiceField(label=_("Village"), queryset=Division.objects.none())
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].offer(villages(user, write=True))  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
