"""The village's public board (村务公开栏): whether a village shows one, and its two lines.

A village's board is off until someone turns it on: a code that names no village, or a
village whose board is off, answers 404 on every public page, so the board never shows a
village that did not decide to show itself.

**Who may change what, and why.** The village's officials run their board; the town and the
county office above may turn it on or off too (a town rolls boards out to its villages and
takes one down that shows something it should not). Leaders read the settings of their area;
department staff and villagers have no settings page (the board itself is public).

**The contact line is an office phone, never a person's.** It is printed on the board and on
the poster at the village gate, so it is the village committee's landline
(``0532-88512345``) or an office's name. The same guard that keeps ID-card and mobile numbers
off public notices (``hemei.documents.rendering.check_no_personal_data``) refuses either in
the welcome text or the contact line: a mobile number is a person's, whoever's it is.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register
from hemei.accounts.roles import BOARD_RUN_ROLES, VILLAGE_READ_ROLES


class BoardSettingsQuerySet(RestrictedQuerySet["BoardSettings"]):
    def enabled(self) -> BoardSettingsQuerySet:
        return self.filter(enabled=True)


class BoardSettings(models.Model):
    """One village's public board: on or off, a welcome text and an office phone."""

    village = models.OneToOneField(
        "divisions.Division",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="+",
    )
    enabled = models.BooleanField(
        _("the public board is on"),
        default=False,
        help_text=_("Off: the board's page, its QR code and its poster answer 'not found'."),
    )
    welcome = models.TextField(
        _("welcome text"),
        max_length=500,
        blank=True,
        help_text=_("A few lines at the top of the board. No names, ID or mobile numbers."),
    )
    contact = models.CharField(
        _("office contact"),
        max_length=100,
        blank=True,
        help_text=_(
            "The village office's landline or where to ask, e.g. 村委会办公室 0532-88512345. "
            "Never a person's mobile number."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = BoardSettingsQuerySet.as_manager()

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("public board settings")
        verbose_name_plural = _("public board settings")

    def __str__(self) -> str:
        return str(self.village_id)


register(
    BoardSettings,
    Policy(field="village", view=Rule(VILLAGE_READ_ROLES), change=Rule(BOARD_RUN_ROLES)),
)
