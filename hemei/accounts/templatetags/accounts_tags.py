"""Template filters of the accounts pages."""

from __future__ import annotations

import datetime as dt

from django import template

from hemei.accounts.lockout import cooloff_text

register = template.Library()


@register.filter
def cooloff(value: dt.timedelta | None) -> str:
    """The lockout page's cool-off period in words ("15 分钟"), not "PT15M"."""
    return cooloff_text(value)
