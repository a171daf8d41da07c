"""Which of the five forms a case has reached, and their Word files (``documents.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import Application


def _always(application: Application) -> bool:
    return True


def _decided(application: Application) -> bool:
    return application.opinions.exists()


def _approved(application: Application) -> bool:
    return bool(application.approval_number)


def _accepted(application: Application) -> bool:
    return (
        application.actual_floors is not None
        or application.visits.filter(stage="completion").exists()
    )


#: slug, label, the name of its render function in ``documents``, when it is there to print
FORMS: list[tuple[str, Any, str, Callable[[Application], bool]]] = [
    ("application", _("Application form (申请表)"), "render_application", _always),
    ("approval-form", _("Approval form (审批表)"), "render_approval_form", _decided),
    ("approval", _("Homestead approval (批准书)"), "render_approval", _approved),
    ("permit", _("Rural building permit (乡村建设规划许可证)"), "render_permit", _approved),
    ("acceptance", _("Acceptance form (验收意见表)"), "render_acceptance", _accepted),
]

FILENAMES = {
    "application": "申请表",
    "approval-form": "审批表",
    "approval": "农村宅基地批准书",
    "permit": "乡村建设规划许可证",
    "acceptance": "验收意见表",
}


def available(application: Application) -> list[tuple[str, Any, bool]]:
    return [(slug, label, ready(application)) for slug, label, _function, ready in FORMS]


def render(slug: str, application: Application) -> tuple[bytes, str]:
    from . import documents

    function = next(function for key, _label, function, _ready in FORMS if key == slug)
    data = getattr(documents, function)(application)
    return data, f"{application.case.number}-{FILENAMES[slug]}.docx"
