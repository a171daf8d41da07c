from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    """How a time limit counts: 工作日 and 日 differ from one rule to another."""

    WORKDAY = "workday", _("working days")
    CALENDAR_DAY = "day", _("calendar days")


class StepKind(models.TextChoices):
    """What a step of a village decision process (四议两公开) is."""

    PROPOSAL = "proposal", _("Party branch proposes")
    CONSULTATION = "consultation", _("two committees confer")
    PARTY_REVIEW = "party_review", _("Party members' meeting reviews")
    JOINT_MEETING = "joint_meeting", _("joint meeting of village organisations")
    RESOLUTION = "resolution", _("villagers' (representatives') meeting decides")
    PUBLISH_RESOLUTION = "publish_resolution", _("resolution published")
    PUBLISH_RESULT = "publish_result", _("result of implementation published")

    @property
    def publishes(self) -> bool:
        return self in (StepKind.PUBLISH_RESOLUTION, StepKind.PUBLISH_RESULT)


class PassBase(models.TextChoices):
    ENTITLED = "entitled", _("those entitled to attend")
    PRESENT = "present", _("those present")


class DecisionState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    NOT_PASSED = "not_passed", _("not passed")
    COMPLETED = "completed", _("completed")


class FileRole(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    PHOTO = "photo", _("photo")
