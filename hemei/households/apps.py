from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _households_of(user: Any) -> list[int]:
    """The households a villager's account lives in (the policy's ``own_household`` reach)."""
    from .models import Resident

    return list(
        Resident.objects.filter(user=user, is_active=True, household__is_active=True)
        .values_list("household_id", flat=True)
        .distinct()
    )


class HouseholdsConfig(AppConfig):
    name = "hemei.households"
    verbose_name = _("Households")

    def ready(self) -> None:
        from hemei.accounts.policy import register_household_lookup

        register_household_lookup(_households_of)
