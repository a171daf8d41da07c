"""Form helpers shared by every app's views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import Form
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop


def apply_errors(form: Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the field exists,
    otherwise at the top of the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


#: Django ends every form label with ``gettext(":")``; listing it here puts it in the
#: catalogue, where Chinese gets its full-width colon (任务名称：).
LABEL_SUFFIX = gettext_noop(":")


#: The largest primary key a database holds; a bigger number is simply not a choice.
MAX_PK = 2**63 - 1


def pk_or_none(value: Any) -> int | None:
    """A primary key typed in a form or a query string, or None for anything else
    ("abc", "²", a number too big for the database): never a database overflow (a 500)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_PK:
        return None
    return int(text)


class PkChoiceField(forms.ModelChoiceField):
    """A model choice that answers a non-number or a number too big for the database with
    "not one of the choices"."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and pk_or_none(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class PkMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same guard for a multiple choice."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if pk_or_none(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


#: What evidence file pickers offer; the server still reads each file's content.
EVIDENCE_ACCEPT = "image/*,.jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; each is checked by its content in the service
    (``hemei.core.evidence.check_file``)."""

    def __init__(self, *args: Any, accept: str = EVIDENCE_ACCEPT, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python rather than one template per ``<option>``: long
    menus (a province's counties, a county's towns) in filter forms shown on every request.
    The same HTML as Django's select for flat choices; grouped choices use Django's."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if any(isinstance(label, (list, tuple)) for _value, label in self.choices):
            return super().render(name, value, attrs, renderer)
        parts = [format_html('<select name="{}"', name)]
        for key, attr in self.build_attrs(self.attrs, attrs).items():  # as attrs.html writes them
            if attr is True:
                parts.append(format_html(" {}", key))
            elif attr is not False:
                parts.append(format_html(' {}="{}"', key, attr))
        parts.append(">")
        chosen = set(self.format_value(value))
        selected = False
        for option, label in self.choices:
            text = "" if option is None else str(option)
            mark = not selected and text in chosen
            selected = selected or mark
            parts.append(
                format_html(
                    '<option value="{}"{}>{}</option>', text, " selected" if mark else "", label
                )
            )
        parts.append("</select>")
        return mark_safe("".join(parts))
