"""The demo's public boards: the demo villages (those with a household register, points and
decisions in the demo) show theirs, each with a welcome line and its office landline.

The board sits below ``hemei.demo`` and the apps that fill the demo villages, so the codes
are written out here; ``board/tests/test_demo.py`` checks they are the register's villages.
"""

from __future__ import annotations

from django.db.models import Q

from hemei.accounts.models import User
from hemei.divisions.models import Division

from . import services

#: village code → its office landline (即墨区's numbers are 0532-8…)
VILLAGES = {
    "370215100214": "0532-88512346",  # 红花山村
    "370215100219": "0532-88512418",  # 高埠村
    "370215100231": "0532-88512532",  # 丰山村
    "370215100228": "0532-88512607",  # 卧龙新村
    "370215101230": "0532-88526310",  # 金口村, 金口镇
}
WELCOME = (
    "本栏目公开本村党务、村务、财务事项，欢迎村民监督。对公开内容有疑问的，请在工作日到村委会咨询。"
)


def load() -> None:
    # turned on by the town's official, as a town rolls the boards out to its villages
    towns = {
        code[:9]: User.objects.filter(
            Q(role_assignments__role="town_official") & Q(role_assignments__division_id=code[:9])
        ).first()
        for code in VILLAGES
    }
    admin = User.objects.filter(username="admin").first()
    for village in Division.objects.filter(code__in=VILLAGES):
        services.update_board(
            actor=towns[village.code[:9]] or admin,
            village=village,
            enabled=True,
            welcome=WELCOME,
            contact=f"村委会办公室 {VILLAGES[village.code]}",
        )
