"""Login throttling in words: the cool-off period as people say it, not as ISO 8601."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import ngettext


def cooloff_text(cooloff: dt.timedelta | None) -> str:
    """'15 minutes' (15 分钟), or whole hours as '2 hours' (2 小时), for a cool-off period."""
    if not cooloff:
        return ""
    minutes = max(1, round(cooloff.total_seconds() / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
