"""Form fields for choosing a division, shared by every app that asks for one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Division


class DivisionCodeField(forms.CharField):
    """A division entered by its code, limited to a queryset (the user's scope)."""

    def __init__(self, *, queryset: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)
        self.queryset = queryset

    def prepare_value(self, value: Any) -> Any:
        return value.code if isinstance(value, Division) else value

    def clean(self, value: Any) -> Division | None:
        code = super().clean(value)
        if not code:
            return None
        division = self.queryset.filter(code=code.strip()).first() if self.queryset else None
        if division is None:
            raise forms.ValidationError(
                _("No division with code %(code)s in your area."), params={"code": code}
            )
        return division


#: the statistical table names villages by their committee ("红花山村村民委员会"); people say
#: "红花山村", so a name also matches with one of these after it.
COMMITTEE_SUFFIXES = ("村民委员会", "居民委员会")


class DivisionField(DivisionCodeField):
    """A division entered by its name (即墨区, 田横镇, 红花山村) or its code, within a queryset.

    A name must be unique in the queryset; when several divisions share it (village names
    repeat across towns) the error names them with their towns and codes, and the code
    resolves it. The input shows the name where that name is unique, else the code.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        code = value.code if isinstance(value, Division) else value
        if not code or not str(code).isdigit() or self.queryset is None:
            return value
        name = self.queryset.filter(code=code).values_list("name", flat=True).first()
        if name and self.queryset.filter(name=name).count() == 1:
            return name
        return code

    def clean(self, value: Any) -> Division | None:
        text = forms.CharField.clean(self, value).strip()
        if not text:
            return None
        if text.isascii() and text.isdigit():
            return super().clean(text)
        names = [text] + [text + suffix for suffix in COMMITTEE_SUFFIXES]
        found = list(self.queryset.filter(name__in=names)[:6]) if self.queryset is not None else []
        if not found:
            raise forms.ValidationError(
                _("No division named %(name)s in your area."), params={"name": text}
            )
        if len(found) > 1:
            parents = dict(
                Division.objects.filter(code__in={d.parent_id for d in found}).values_list(
                    "code", "name"
                )
            )
            raise forms.ValidationError(
                _("Several divisions in your area are named %(name)s: %(which)s. Give its code."),
                params={
                    "name": text,
                    "which": "、".join(
                        f"{parents.get(d.parent_id, '')}{d.name}（{d.code}）" for d in found[:5]
                    ),
                },
            )
        return found[0]
