"""Demo rankings: the towns of 即墨区 and the villages of 田横镇, month by month for the last
twelve months (so the page shows rank changes and a history line of twelve points). Runs
after the tasks and supervision demos, on whatever tasks they made (the tasks demo's monthly
inspection is due in every one of those months). A past month is computed the morning after
it ended, as the county office would have; this month today."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hemei.core import clock
from hemei.demo import DEMO_COUNTY, TOWN_A
from hemei.divisions.models import Division

from .choices import PeriodKind
from .models import RankingConfig
from .periods import period_bounds, previous_start
from .services import compute_ranking

MONTHS = 12


def load() -> None:
    RankingConfig.objects.get_or_create(
        county_id=DEMO_COUNTY,
        defaults={
            "issuing_body": "即墨区乡村振兴工作领导小组办公室",
            "number_prefix": "即振办",
        },
    )
    scopes = [Division.objects.get(code=DEMO_COUNTY), Division.objects.get(code=TOWN_A)]
    today = clock.today()
    starts = [period_bounds(PeriodKind.MONTH, today)[0]]
    while len(starts) < MONTHS:
        starts.insert(0, previous_start(PeriodKind.MONTH, starts[0]))
    for start in starts:
        end = period_bounds(PeriodKind.MONTH, start)[1]
        morning = dt.datetime.combine(
            end + dt.timedelta(days=1), dt.time(8), tzinfo=timezone.get_current_timezone()
        )
        with clock.frozen_at(min(morning, clock.now())):
            for scope in scopes:
                compute_ranking(
                    county_or_town=scope,
                    period_kind=PeriodKind.MONTH,
                    period_start=start,
                    actor=None,
                )
