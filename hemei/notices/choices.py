from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeState(models.TextChoices):
    POSTED = "posted", _("in public notice")
    ENDED = "ended", _("ended")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ObjectionState(models.TextChoices):
    OPEN = "open", _("open")
    UPHELD = "upheld", _("upheld")
    DISMISSED = "dismissed", _("dismissed")


#: The kind of a notice posted without a subject (a village's own announcement).
GENERAL = "general"
