"""Personal API tokens: a secret a person hands to a script so it may act as them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import Policy, Rule, own_person, register
from hemei.accounts.roles import API_ROLES
from hemei.core.models import TimeStampedModel


class TokenQuerySet(models.QuerySet["Token"]):
    def active(self) -> TokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class Token(TimeStampedModel):
    """A personal API token. Only the SHA-256 of the key is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    key_hash = models.CharField(max_length=64, unique=True)
    #: The first characters of the key, so a person can tell their tokens apart.
    prefix = models.CharField(_("starts with"), max_length=12)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# A personal token is its owner's alone; tokens open the API, which is the work loop's
# (villagers use the pages on their phones and hold no tokens).
register(Token, Policy(field="user__division", view=Rule(API_ROLES, own_person("user"))))
