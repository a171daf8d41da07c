from django.db import models
from django.utils.translation import gettext_lazy as _


class Relation(models.TextChoices):
    """A member's relation to the head of the household (与户主关系)."""

    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    PARENT = "parent", _("father or mother")
    GRANDCHILD = "grandchild", _("grandchild")
    SIBLING = "sibling", _("sibling")
    OTHER = "other", _("other relative")


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class EventKind(models.TextChoices):
    CREATE = "create", _("household registered")
    SPLIT = "split", _("household split")
    MERGE = "merge", _("households merged")
    HEAD_CHANGE = "head_change", _("head of household changed")
    MOVE_OUT = "move_out", _("moved out")
    MOVE_IN = "move_in", _("moved in")
    MEMBER_ADD = "member_add", _("member added")
    MEMBER_REMOVE = "member_remove", _("member removed")


class SensitiveField(models.TextChoices):
    ID_NUMBER = "id_number", _("ID number")
    PHONE = "phone", _("phone")
    FULL_EXPORT = "full_export", _("full export")
