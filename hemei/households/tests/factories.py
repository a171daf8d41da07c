"""Valid fake identity numbers and a small household for tests."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from hemei.households import services
from hemei.households.models import Household
from hemei.households.validators import id_check_digit

_serial = count(100)


def fake_id(
    birth: dt.date = dt.date(1980, 1, 1), *, male: bool = True, region: str = "370215"
) -> str:
    serial = next(_serial) % 1000
    seq = serial - serial % 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def person(name: str, relation: str = "other", **extra: Any) -> dict[str, Any]:
    return {"name": name, "relation": relation, **extra}


def make_household(actor: Any, village: Any, number: str = "001", **extra: Any) -> Household:
    """A household of three: 王建国 (head), 李秀兰 (spouse), 王磊 (child)."""
    household = services.create_household(
        actor=actor,
        village=village,
        number=number,
        head=person("王建国" + number, id_number=fake_id(dt.date(1965, 3, 2)), phone="13900000001"),
        **extra,
    )
    services.add_member(
        actor=actor,
        household=household,
        **person("李秀兰" + number, "spouse", id_number=fake_id(dt.date(1967, 5, 6), male=False)),
    )
    services.add_member(
        actor=actor,
        household=household,
        **person("王磊" + number, "child", id_number=fake_id(dt.date(1990, 8, 9))),
    )
    return household
