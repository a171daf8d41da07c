"""Every set of roles the access policy names, in one place.

A role is held on a division and covers its subtree. The sets below say who may do a kind of
thing at all; *where* they may do it is the policy's reach (``hemei.accounts.policy``).
"""

from __future__ import annotations

from .choices import Role

ALL_ROLES = frozenset(Role.values)

#: The work loop (meetings, tasks, reports, supervision, rankings): everyone but villagers,
#: who see their household's points and applications and their village's public notices.
WORK_ROLES = frozenset(
    {Role.COUNTY_ADMIN, Role.LEADER, Role.DEPARTMENT, Role.TOWN_OFFICIAL, Role.VILLAGE_OFFICIAL}
)
#: Hold personal API tokens: the API is the work loop's.
API_ROLES = WORK_ROLES
#: Manage units, accounts and the audit log inside their subtree; configure the county.
ADMIN_ROLES = frozenset({Role.COUNTY_ADMIN})

#: Create, edit and fan out tasks, issue supervision orders, review the level below.
TASK_MANAGE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.LEADER, Role.DEPARTMENT, Role.TOWN_OFFICIAL})
#: Report progress on a task of their area (besides its responsible person).
TASK_REPORT_ROLES = TASK_MANAGE_ROLES | {Role.VILLAGE_OFFICIAL}
#: Review reports at their own level (others review only the level below them).
SAME_LEVEL_REVIEW_ROLES = frozenset({Role.COUNTY_ADMIN, Role.LEADER})

#: Village affairs that carry personal data (the household register, households' points):
#: the county office, leaders, towns and villages. Department staff work on their unit's
#: tasks and do not read households.
VILLAGE_READ_ROLES = frozenset(
    {Role.COUNTY_ADMIN, Role.LEADER, Role.TOWN_OFFICIAL, Role.VILLAGE_OFFICIAL}
)
#: Change the register and see a protected value in full (each showing logged).
REGISTER_WRITE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWN_OFFICIAL, Role.VILLAGE_OFFICIAL})
#: Run a village's points: record, assess, review, redeem, settle.
POINTS_RUN_ROLES = frozenset({Role.VILLAGE_OFFICIAL, Role.COUNTY_ADMIN})
#: Publish templates (points rules, procedure catalogues) for the villages below.
TEMPLATE_ROLES = frozenset({Role.TOWN_OFFICIAL, Role.COUNTY_ADMIN})
#: Turn a village's public board (村务公开栏) on or off and set its welcome and office phone:
#: the village's officials, and the town and the county office above it.
BOARD_RUN_ROLES = frozenset({Role.VILLAGE_OFFICIAL, Role.TOWN_OFFICIAL, Role.COUNTY_ADMIN})

#: Keep a village's procedure catalogue (draft, adopt): the village and the county office.
CATALOGUE_ROLES = frozenset({Role.VILLAGE_OFFICIAL, Role.COUNTY_ADMIN})
#: Act on a step of a case (办件) at their own level: the village committees, the town, the
#: county office; and start a case for someone in their area. Cases carry households' names:
#: department staff, who do not read households, do not handle them.
CASE_ROLES = frozenset({Role.VILLAGE_OFFICIAL, Role.TOWN_OFFICIAL, Role.COUNTY_ADMIN})

VILLAGER_ROLES = frozenset({Role.VILLAGER})
