"""Meetings (会议) and the decisions (决策事项/工作要求) they carry: where work comes from."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemei.accounts.policy import Policy, RestrictedQuerySet, Rule, register, subtree_and_ancestors
from hemei.accounts.roles import TASK_MANAGE_ROLES, WORK_ROLES
from hemei.core.choices import Theme
from hemei.core.models import TimeStampedModel
from hemei.core.search import search
from hemei.divisions.choices import Level


class MeetingLevel(models.TextChoices):
    COUNTY = "county", _("county")
    TOWN = "town", _("town")
    VILLAGE = "village", _("village")


class MeetingQuerySet(RestrictedQuerySet["Meeting"]):
    def search(self, text: str) -> MeetingQuerySet:
        """Meetings matching a query (hemei.core.search) in the name, place, host, speakers,
        full text, the division's name or the text of a decision."""
        return search(
            self,
            text,
            [
                "name",
                "place",
                "host",
                "speakers",
                "full_text",
                "division__name",
                lambda needle: Q(
                    pk__in=Decision.objects.filter(text__icontains=needle).values("meeting_id")
                ),
            ],
        )


class Meeting(TimeStampedModel):
    """A meeting that deploys work, with the people who spoke and its full text."""

    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("date"))
    level = models.CharField(_("level"), max_length=10, choices=MeetingLevel.choices)
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("organizing division"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    host = models.CharField(_("host"), max_length=200, blank=True)
    speakers = models.TextField(_("speakers"), blank=True, help_text=_("One per line."))
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("One per line."))
    full_text = models.TextField(_("full text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A county meeting is held by a county, a town meeting by a town, and so on."""
        expected = LEVEL_OF_MEETING.get(self.level)
        if self.division_id and expected and self.division.level != expected:
            raise ValidationError(
                {
                    "level": _("The level does not match the organizing division %(division)s.")
                    % {"division": self.division.name}
                }
            )


#: The division level that holds each level of meeting.
LEVEL_OF_MEETING = {
    MeetingLevel.COUNTY: Level.COUNTY,
    MeetingLevel.TOWN: Level.TOWN,
    MeetingLevel.VILLAGE: Level.VILLAGE,
}


def attachment_path(instance: MeetingAttachment, filename: str) -> str:
    return f"meetings/{instance.meeting_id}/{filename}"


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """One decision or work requirement of a meeting; tasks point back to it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    speaker = models.CharField(_("speaker"), max_length=100, blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, blank=True)
    responsible = models.CharField(_("responsible units as written"), max_length=300, blank=True)
    deadline_text = models.CharField(_("deadline as written"), max_length=100, blank=True)

    class Meta:
        ordering = ["meeting_id", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


# Meetings deploy work downwards: seen inside the subtree and by everyone below the division
# that held them (a town official reads the county's meeting); held and changed by managers.
register(
    Meeting,
    Policy(
        view=Rule(WORK_ROLES, subtree_and_ancestors()),
        change=Rule(TASK_MANAGE_ROLES),
    ),
)
register(
    MeetingAttachment,
    Policy(field="meeting__division", view=Rule(WORK_ROLES, subtree_and_ancestors())),
)
register(
    Decision,
    Policy(field="meeting__division", view=Rule(WORK_ROLES, subtree_and_ancestors())),
)
