"""A county's own Word template for a kind of document (the default ships with the code)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import ADMIN_ROLES
from hemei.core import clock
from hemei.divisions.models import Division


def template_path(instance: DocumentTemplate, filename: str) -> str:
    return f"documents/{instance.county_id}/{instance.kind}/{filename}"


class DocumentTemplateQuerySet(RestrictedQuerySet["DocumentTemplate"]):
    def active(self) -> DocumentTemplateQuerySet:
        return self.filter(active=True)

    def of(self, county_code: str, kind: str) -> DocumentTemplateQuerySet:
        return self.filter(county_id=county_code, kind=kind)


class DocumentTemplate(models.Model):
    """One uploaded template. Rows are only added: a new upload (or going back to the
    default) retires the active one, which stays as history; at most one is active per
    kind and county."""

    kind = models.CharField(_("kind"), max_length=50)
    county = models.ForeignKey(
        Division, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=template_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)
    active = models.BooleanField(_("in force"), default=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    objects = DocumentTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-uploaded_at", "-id"]
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "county"],
                condition=Q(active=True),
                name="document_template_one_active",
                violation_error_message=_("A county has one template in force per document."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.county_id} · {self.name}"


# A county's templates are its administration's: the county office sees and changes them.
register(
    DocumentTemplate,
    Policy(field="county", view=Rule(ADMIN_ROLES), change=Rule(ADMIN_ROLES)),
)
