"""The upload form of a county's template."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .rendering import MAX_TEMPLATE_BYTES


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Word template (.docx)"),
        help_text=gettext_lazy(
            "Start from the default template, keep the {{ }} fields you need, and upload it. "
            "It is tried with the sample values before it is put in force."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document"
            }
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": MAX_TEMPLATE_BYTES // 1024 // 1024}
            )
        return upload
