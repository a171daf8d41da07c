"""Public notices (公示): one notice object for the whole platform.

Nearly every village procedure posts a public notice with a minimum period and a window for
objections (DOMAIN.md, cross-cutting constraint 1). A :class:`Notice` says what is posted
(``kind``, ``title``, ``body``, attachments as :class:`NoticeFile`), where (the village, and
the group (村民小组) when only a group is concerned), from when to when (``starts_at``,
``ends_at``, with the ``days`` and ``unit`` it was counted in), about which record
(``subject``: any model, through a generic relation, or none), and how it ended (``state``,
``closed_at``, ``outcome``). An :class:`NoticeObjection` (异议) is raised while it runs and
answered by the village.

What happens to the subject — back to the step that posted it on an objection, on to the
next step when the notice ends without open objection — is not written here: the app that
owns the subject registers it (:mod:`.registry`). See :mod:`.services` for the calls.

**One notice per subject, no notice items.** A points notice used to be read as one list of
many entries, but every entry is reviewed, objected to, posted again and takes effect on its
own: an objection to one household's points must not hold back the others. A notice with
items would need objections and outcomes per item — a notice inside the notice. So each
subject gets its own notice; a list for the notice board (the points Word notice, the public
board) is a view over the running notices of a village.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts.choices import Role
from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, own_grant_division, own_person
from hemei.accounts.policy import register as register_policy
from hemei.accounts.roles import VILLAGE_READ_ROLES, VILLAGER_ROLES
from hemei.core import clock
from hemei.procedures.choices import TimeUnit

from .choices import NoticeState, ObjectionState

#: The longest notice period a step may ask for (in its unit).
MAX_DAYS = 90


class NoticeQuerySet(RestrictedQuerySet["Notice"]):
    def running(self) -> NoticeQuerySet:
        return self.filter(state=NoticeState.POSTED)

    def of(self, subject: models.Model) -> NoticeQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
            object_id=subject.pk,
        )


class Notice(models.Model):
    """One public notice: what, where, from, to, objections, outcome."""

    village = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.CharField(
        _("villagers' group"),
        max_length=60,
        blank=True,
        help_text=_("Only when the notice is posted within one group (村民小组)."),
    )
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("subject type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("subject"), null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    starts_at = models.DateTimeField(_("notice from"))
    ends_at = models.DateTimeField(_("notice until"))
    days = models.PositiveSmallIntegerField(_("days"))
    unit = models.CharField(_("unit"), max_length=10, choices=TimeUnit.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=NoticeState.choices, default=NoticeState.POSTED
    )
    closed_at = models.DateTimeField(
        _("closed at"),
        null=True,
        blank=True,
        help_text=_("When it ended: its end date, or earlier on an objection or withdrawal."),
    )
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        indexes = [
            models.Index(fields=["state", "ends_at"], name="notice_due"),
            models.Index(fields=["content_type", "object_id"], name="notice_subject"),
            models.Index(fields=["village", "starts_at"], name="notice_village"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="notice_ends_after_start",
                violation_error_message=_("A notice cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="notice_subject_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_running(self) -> bool:
        return self.state == NoticeState.POSTED and clock.now() < self.ends_at


class NoticeObjection(models.Model):
    """An objection (异议) raised while a notice runs, and how it was answered."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.PROTECT, related_name="objections"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500)
    raised_at = models.DateTimeField(_("raised at"), default=clock.now)
    state = models.CharField(
        _("state"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["notice_id", "raised_at", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [models.Index(fields=["notice", "state"], name="notice_objection_state")]

    def __str__(self) -> str:
        return self.reason[:50]


def notice_file_path(instance: NoticeFile, filename: str) -> str:
    return f"notices/{instance.notice_id}/{instance.sha256[:16]}-{filename}"


class NoticeFile(models.Model):
    """An attachment of a notice (a map, a table, a photo), checked like evidence."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=notice_file_path)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
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

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["notice_id", "id"]
        verbose_name = _("notice attachment")
        verbose_name_plural = _("notice attachments")

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


# A notice is public within its village: the officials of the area read it, the villagers of
# the village read it (and its attachments) and may object while it runs; so may officials.
# The village's officials and the county office answer objections and withdraw; the steps of
# a village, a town or the county post. Objections name the person who raised them: they stay
# with the officials and that person.
#: Post a notice for a step of their area.
POST_ROLES = frozenset({Role.VILLAGE_OFFICIAL, Role.TOWN_OFFICIAL, Role.COUNTY_ADMIN})
#: Answer objections, withdraw a notice.
RUN_ROLES = frozenset({Role.VILLAGE_OFFICIAL, Role.COUNTY_ADMIN})
_readers = (Rule(VILLAGE_READ_ROLES), Rule(VILLAGER_ROLES, own_grant_division("village")))

register_policy(
    Notice,
    Policy(
        field="village",
        view=_readers,
        object=_readers,
        post=Rule(POST_ROLES),
        change=Rule(RUN_ROLES),
    ),
)
register_policy(
    NoticeObjection,
    Policy(
        field="notice__village",
        view=(
            Rule(VILLAGE_READ_ROLES),
            Rule(frozenset(), own_person("raised_by"), any_user=True),
        ),
        change=Rule(RUN_ROLES),
    ),
)
register_policy(
    NoticeFile,
    Policy(
        field="notice__village",
        view=(
            Rule(VILLAGE_READ_ROLES),
            Rule(VILLAGER_ROLES, own_grant_division("notice__village")),
        ),
    ),
)
