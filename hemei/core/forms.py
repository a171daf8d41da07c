"""Form helpers shared by every app's views."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form
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
