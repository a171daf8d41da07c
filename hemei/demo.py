"""The demo county: 即墨区 (370215) from the real division table, with units and people.

Loaded once by ``hemei demo``; running it again reuses what is there. After the county,
its units and people, every app with a ``demo`` module adds its part by ``load()``, in the
order of INSTALLED_APPS (so meetings come before tasks, households before points).
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction

DEMO_COUNTY = "370215"  # 青岛市即墨区
TOWN_A = "370215100"  # 田横镇
TOWN_B = "370215101"  # 金口镇
VILLAGE_A = "370215100214"  # 田横镇红花山村
PASSWORD = "hemei-demo"

UNITS = [
    ("区农业农村局", "农业农村局", "department"),
    ("区财政局", "财政局", "department"),
    ("区自然资源局", "自然资源局", "department"),
    ("区住房和城乡建设局", "住建局", "department"),
    ("区水务局", "水务局", "department"),
    ("区生态环境分局", "生态环境分局", "department"),
    ("区文化和旅游局", "文旅局", "department"),
    ("区交通运输局", "交通局", "department"),
    ("区委组织部", "组织部", "party_organ"),
    ("区委宣传部", "宣传部", "party_organ"),
    ("区委农村工作领导小组办公室", "区委农办", "party_organ"),
    ("产业振兴专班", "产业专班", "task_force"),
    ("人居环境整治专班", "人居专班", "task_force"),
    ("乡村建设专班", "乡建专班", "task_force"),
]

#: username, full name, role, division, unit short name or None, phone
PEOPLE = [
    ("admin", "王建国", "county_admin", DEMO_COUNTY, None, "13905320001"),
    ("leader", "李志强", "leader", DEMO_COUNTY, None, "13905320002"),
    ("nongye", "赵敏", "department", DEMO_COUNTY, "农业农村局", "13905320003"),
    ("tianheng", "孙海燕", "town_official", TOWN_A, None, "13905320004"),
    ("jinkou", "周立新", "town_official", TOWN_B, None, "13905320005"),
    ("honghuashan", "刘洪波", "village_official", VILLAGE_A, None, "13905320006"),
    ("villager", "陈秀英", "villager", VILLAGE_A, None, "13905320007"),
]

ACCOUNTS = [
    ("admin", "区级管理员 county administrator (即墨区)"),
    ("leader", "区领导 leader"),
    ("nongye", "部门人员 department staff (区农业农村局)"),
    ("tianheng", "镇街干部 town official (田横镇)"),
    ("jinkou", "镇街干部 town official (金口镇)"),
    ("honghuashan", "村干部 village official (田横镇红花山村)"),
    ("villager", "村民 villager (红花山村)"),
]


def load_demo() -> bool:
    """Load the demo county unless it is there already; answer whether it was loaded."""
    from hemei.accounts.models import User

    if User.objects.filter(username="admin").exists():
        return False
    from hemei.divisions.services import import_builtin

    import_builtin(under=DEMO_COUNTY)
    with transaction.atomic():
        _load_people()
    for module in demo_modules():
        with transaction.atomic():
            import_module(module).load()
    return True


def demo_modules() -> list[str]:
    """The apps' demo modules (``hemei.<app>.demo``), in INSTALLED_APPS order."""
    names = [f"{config.name}.demo" for config in apps.get_app_configs()]
    return [name for name in names if name.startswith("hemei.") and find_spec(name)]


def _load_people() -> None:
    from django.contrib.auth.hashers import make_password

    from hemei.accounts.models import RoleAssignment, User
    from hemei.units.models import Unit

    units = {
        short: Unit.objects.create(name=name, short_name=short, kind=kind, division_id=DEMO_COUNTY)
        for name, short, kind in UNITS
    }
    # One PBKDF2 hash for the one published password, not one per account: each costs
    # about half a second by design, and the demo accounts share the password anyway.
    password = make_password(PASSWORD)
    for username, full_name, role, division, unit, phone in PEOPLE:
        user = User.objects.create(
            username=username,
            password=password,
            full_name=full_name,
            phone=phone,
            division_id=division,
        )
        RoleAssignment.objects.create(
            user=user, role=role, division_id=division, unit=units[unit] if unit else None
        )
