"""The site menu, asked of the access policy: a page is in a user's menu exactly when the
policy opens it to one of their roles, so a menu never leads to a 403 and every page a role
uses is reachable from it (``home/tests/test_menu.py`` walks both ways)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from hemei.accounts.models import User
from hemei.accounts.policy import Who, holds_role, policy_for
from hemei.accounts.roles import API_ROLES
from hemei.board.models import BoardSettings
from hemei.catalogue.models import Catalogue
from hemei.disclosure.models import CatalogueItem, Disclosure
from hemei.divisions.models import Division
from hemei.documents.models import DocumentTemplate
from hemei.homestead.models import AreaLimit
from hemei.households.models import Household
from hemei.meetings.models import Meeting
from hemei.notices.models import Notice
from hemei.places.models import ReferenceLayer
from hemei.procedures.models import DecisionRecord, TimeLimit
from hemei.rankings.models import RankingRun
from hemei.supervision.models import SupervisionOrder
from hemei.tasks.models import Task
from hemei.units.models import Unit


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: Any
    #: the policy question that opens it: a model and an action; None for every role
    model: type[Any] | None = None
    action: str = "view"


MENU = [
    MenuItem("home:home", pgettext_lazy("menu", "Home")),
    MenuItem("tasks:my_work", pgettext_lazy("menu", "My work"), Task),
    MenuItem("tasks:task_list", pgettext_lazy("menu", "Tasks"), Task),
    MenuItem("meetings:meeting_list", pgettext_lazy("menu", "Meetings"), Meeting),
    MenuItem("progress:review_queue", pgettext_lazy("menu", "Reviews"), Task, "review"),
    MenuItem("progress:my_reports", pgettext_lazy("menu", "My reports"), Task, "report"),
    MenuItem("supervision:centre", pgettext_lazy("menu", "Supervision"), SupervisionOrder),
    MenuItem("rankings:ranking", pgettext_lazy("menu", "Rankings"), RankingRun),
    MenuItem("tasks:overview", pgettext_lazy("menu", "Overview"), Task),
    MenuItem("households:household_list", pgettext_lazy("menu", "Households"), Household, "browse"),
    MenuItem("points:home", pgettext_lazy("menu", "Points"), Division, "read_village"),
    MenuItem("points:my_household", pgettext_lazy("menu", "My points"), Division, "live_in"),
    MenuItem(
        "procedures:decision_list", pgettext_lazy("menu", "Village decisions"), DecisionRecord
    ),
    MenuItem("cases:list", pgettext_lazy("menu", "Cases"), Division, "read_village"),
    MenuItem("cases:mine", pgettext_lazy("menu", "My applications"), Division, "live_in"),
    MenuItem(
        "homestead:ledger", pgettext_lazy("menu", "Homestead approval"), Division, "read_village"
    ),
    MenuItem(
        "homestead:apply", pgettext_lazy("menu", "Apply for a homestead"), Division, "live_in"
    ),
    MenuItem("places:layer_list", pgettext_lazy("menu", "Map"), ReferenceLayer),
    MenuItem("catalogue:list", pgettext_lazy("menu", "Catalogues"), Catalogue),
    MenuItem("procedures:limit_list", pgettext_lazy("menu", "Time limits"), TimeLimit),
    MenuItem("homestead:limits", pgettext_lazy("menu", "Homestead area limits"), AreaLimit),
    MenuItem("board:board_list", pgettext_lazy("menu", "Public boards"), BoardSettings),
    MenuItem("notices:notice_list", pgettext_lazy("menu", "Public notices"), Notice),
    MenuItem(
        "disclosure:disclosure_list", pgettext_lazy("menu", "Village disclosures"), Disclosure
    ),
    MenuItem("disclosure:catalogue", pgettext_lazy("menu", "Disclosure catalogue"), CatalogueItem),
    MenuItem("notifications:inbox", pgettext_lazy("menu", "Notifications")),
    MenuItem("divisions:division_list", pgettext_lazy("menu", "Divisions"), Division),
    MenuItem("units:unit_list", pgettext_lazy("menu", "Units"), Unit),
    MenuItem("accounts:user_list", pgettext_lazy("menu", "Users"), User),
    MenuItem("accounts:audit_list", pgettext_lazy("menu", "Audit log"), Division, "administer"),
    MenuItem("documents:kind_list", pgettext_lazy("menu", "Document templates"), DocumentTemplate),
]


def menu_for(user: Any) -> list[MenuItem]:
    """The menu items the policy opens to the user's roles (rules that open an action to
    anyone named on a row, such as a task's lead leader, do not put a page in the menu)."""
    if not holds_role(user):
        return []
    who = Who(user)
    return [
        item
        for item in MENU
        if item.model is None or policy_for(item.model).may(who, item.action, by_role=True)
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the site chrome needs: the user's menu (grants are cached on the user, so this
    costs no query once a view has asked the policy)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav_items": [], "nav_is_admin": False, "nav_tokens": False}
    items = menu_for(user)
    return {
        "nav_items": [(reverse(item.url_name), item.label, item.url_name) for item in items],
        "nav_is_admin": any(item.url_name == "accounts:user_list" for item in items),
        # personal API tokens, beside the user's name: the API is the work loop's
        # (the Token policy's roles; the api app lies above this one)
        "nav_tokens": Who(user).holds(API_ROLES),
    }
