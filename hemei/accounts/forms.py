from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hemei.divisions.forms import DivisionCodeField

from .choices import Role
from .models import RoleAssignment
from .policy import places

#: Units lie above accounts (their pages ask the access policy); a role reaches its unit
#: through the relation, so this app never imports the units app.
Unit = RoleAssignment._meta.get_field("unit").related_model


def _admin_divisions(user: Any) -> Any:
    return places(user, "administer").filter(valid_to__isnull=True)


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    division = DivisionCodeField(
        label=_("Division code"), help_text=_("Where the person works, e.g. 370215100.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput(render_value=False), strip=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = _admin_divisions(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.visible_to(user).active()  # type: ignore[attr-defined]


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        help_text=_("Leave empty to keep the number on file."),
    )
    division = DivisionCodeField(label=_("Division code"))
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = _admin_divisions(user)  # type: ignore[attr-defined]


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    division = DivisionCodeField(label=_("Division code"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = _admin_divisions(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.visible_to(user).active()  # type: ignore[attr-defined]


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(render_value=False), strip=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
