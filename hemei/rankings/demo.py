"""Demo rankings: the towns of 即墨区 for this month and the month before (so the page shows
rank changes and a history line), and the villages of 田横镇 for this month. Runs after the
tasks and supervision demos, on whatever tasks they made."""

from __future__ import annotations

from hemei.core import clock
from hemei.demo import DEMO_COUNTY, TOWN_A
from hemei.divisions.models import Division

from .choices import PeriodKind
from .models import RankingConfig
from .periods import period_bounds, previous_start
from .services import compute_ranking


def load() -> None:
    RankingConfig.objects.get_or_create(
        county_id=DEMO_COUNTY,
        defaults={
            "issuing_body": "即墨区乡村振兴工作领导小组办公室",
            "number_prefix": "即振办",
        },
    )
    county = Division.objects.get(code=DEMO_COUNTY)
    this_month = period_bounds(PeriodKind.MONTH, clock.today())[0]
    for start in (previous_start(PeriodKind.MONTH, this_month), this_month):
        compute_ranking(
            county_or_town=county, period_kind=PeriodKind.MONTH, period_start=start, actor=None
        )
    compute_ranking(
        county_or_town=Division.objects.get(code=TOWN_A),
        period_kind=PeriodKind.MONTH,
        period_start=this_month,
        actor=None,
    )
