"""People, the roles they hold on the division tree, and the audit trail of every write."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.core import clock
from hemei.core.models import TimeStampedModel
from hemei.core.search import search
from hemei.divisions.models import Division

from .choices import AuditAction, Role
from .policy import (
    Policy,
    RestrictedQuerySet,
    Rule,
    own_grant_division,
    register,
    subtree,
    subtree_and_ancestors,
)
from .roles import (
    ADMIN_ROLES,
    CASE_ROLES,
    CATALOGUE_ROLES,
    POINTS_RUN_ROLES,
    REGISTER_WRITE_ROLES,
    TASK_MANAGE_ROLES,
    TEMPLATE_ROLES,
    VILLAGE_READ_ROLES,
    VILLAGER_ROLES,
    WORK_ROLES,
)


def mask_phone(phone: str) -> str:
    """Show a phone number as 138****5678: enough to recognise, not enough to dial."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


class UserQuerySet(RestrictedQuerySet["User"]):
    """Users are scoped by their home division: the admins above it manage the account."""

    def search(self, text: str) -> UserQuerySet:
        """Users matching a query (hemei.core.search) in the user name, full name or division."""
        return search(self, text, ["username", "full_name", "division__name"])

    def visible_to(self, user: Any) -> UserQuerySet:
        """Accounts whose home lies in the user's administration (superusers only to one)."""
        rows = self.restrict(user, "view")
        if user.is_superuser and user.is_active:
            return rows
        return rows.exclude(is_superuser=True)


class HemeiUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in: an official, a leader, department staff or a villager."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("home division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The administrators of this division and above manage the account."),
    )

    objects = HemeiUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class RoleAssignment(TimeStampedModel):
    """A role held on a division; it covers the division's whole subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["user_id", "division_id", "role", "id"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "division"],
                name="role_assignment_unique",
                violation_error_message=_("The user already holds this role here."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.DEPARTMENT) | Q(unit__isnull=False),
                name="role_assignment_department_has_unit",
                violation_error_message=_("Department staff must belong to a unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.division}"


class AuditEntry(models.Model):
    """One write to domain data: who, when, what, and which fields changed from what to what.

    Rows are only ever added. ``division_code`` places the entry in the tree so that an
    administrator browses the trail of their own subtree only.
    """

    at = models.DateTimeField(_("time"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object"), max_length=64)
    object_repr = models.CharField(_("description"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    division_code = models.CharField(_("division"), max_length=12, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["division_code", "at"], name="audit_division_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


# Accounts, grants and the trail are administration: the county office of the subtree. Anyone
# in the work loop may name a person of their area or above it (a county leader on a town task).
register(
    User,
    Policy(
        view=Rule(ADMIN_ROLES),
        change=Rule(ADMIN_ROLES),
        name=Rule(WORK_ROLES, subtree_and_ancestors()),
    ),
)
register(RoleAssignment, Policy(view=Rule(ADMIN_ROLES), change=Rule(ADMIN_ROLES)))
register(AuditEntry, Policy(field="division_code", view=Rule(ADMIN_ROLES, subtree())))

# The places (divisions, below this app, get their policy here): what a user may do *at* a
# division, asked with ``allows_at(user, action, code)`` or ``places(user, action)``.
register(
    Division,
    Policy(
        field="code",
        # browse the area (the division pages, filters and choosers)
        view=Rule(WORK_ROLES),
        # the area and the divisions above it (the county whose ladder and rankings apply)
        view_with_ancestors=Rule(WORK_ROLES, subtree_and_ancestors()),
        # manage units, accounts, the trail; configure lights, ladder and rankings
        administer=Rule(ADMIN_ROLES),
        # create, edit and fan out tasks, hold meetings
        manage_tasks=Rule(TASK_MANAGE_ROLES),
        # compute a ranking and issue its circular: the county office over the area, and a
        # town official for the villages of their own town
        compute_ranking=(
            Rule(ADMIN_ROLES),
            Rule(frozenset({Role.TOWN_OFFICIAL}), own_grant_division()),
        ),
        # personal data of village affairs: the register, households' points
        read_village=Rule(VILLAGE_READ_ROLES),
        write_register=Rule(REGISTER_WRITE_ROLES),
        run_points=Rule(POINTS_RUN_ROLES),
        publish_templates=Rule(TEMPLATE_ROLES),
        keep_catalogue=Rule(CATALOGUE_ROLES),
        # a step of a case is taken by the office of exactly that level (the village
        # committees sign the village's step, the town its own), never by the level above
        act_on_cases=Rule(CASE_ROLES, own_grant_division()),
        start_cases=Rule(CASE_ROLES),
        # a villager's own village (its notices, objections, shop)
        live_in=Rule(VILLAGER_ROLES, own_grant_division()),
    ),
)
