"""The one access policy: who may do what to which rows, for every model.

As NetBox's ``RestrictedQuerySet.restrict(user, action)`` and Wagtail's permission policies do
it, each model registers a :class:`Policy`: named actions (``view``, ``change``, ``approve`` …)
and, per action, the :class:`Rule` s that open it. A rule names the roles that may take the
action at all and the *reach* where they may take it: their subtree, their subtree with its
ancestors, strictly below their grant, their own household, their own person, or everything
(public). A reach is a :class:`Cond`, which answers both as a database filter (``q()``, for
querysets) and as a yes/no on one loaded object (``test(obj)``), so a list and a detail page
can never disagree. There is no default action: asking for one the model does not name is a
programming error (:class:`UnknownAction`).

The answers views give follow from three questions:

* signed in? (else the login page, or 401 on the API);
* :func:`may` — does the user hold a role that opens the action anywhere? (else 403);
* :func:`restrict` / :func:`allows` — is this row within the reach? (else 404, the same
  answer as a missing row, so the outside learns nothing).

Role sets live in :mod:`hemei.accounts.roles`; each app registers its models' policies in its
``models.py`` (divisions, below accounts, get theirs registered here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from hemei.divisions.models import ancestor_codes, subtree_q

M = TypeVar("M", bound=models.Model)


class UnknownAction(LookupError):
    """An action the model's policy does not name: a programming error, never 'any role'."""


# --------------------------------------------------------------------------- the principal


_household_lookup: Callable[[Any], list[int]] | None = None


def register_household_lookup(lookup: Callable[[Any], list[int]]) -> None:
    """The household register (an app above this one) says which households a user lives in."""
    global _household_lookup
    _household_lookup = lookup


class Who:
    """A user as the policy sees them: superuser or not, and their grants, read once."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.authenticated = bool(getattr(user, "is_authenticated", False))
        self.everything = bool(
            self.authenticated and user.is_superuser and getattr(user, "is_active", False)
        )
        self.grants = grants(user) if self.authenticated else []

    @property
    def pk(self) -> Any:
        return self.user.pk if self.authenticated else None

    def roles(self) -> set[str]:
        return {grant.role for grant in self.grants}

    def holds(self, roles: frozenset[str]) -> bool:
        return self.everything or any(grant.role in roles for grant in self.grants)

    def prefixes(self, roles: frozenset[str]) -> list[str]:
        """The outermost division codes of the grants of ``roles``."""
        codes = sorted({grant.division_id for grant in self.grants if grant.role in roles})
        outermost: list[str] = []
        for code in codes:
            if not any(code.startswith(outer) for outer in outermost):
                outermost.append(code)
        return outermost

    def units(self, roles: frozenset[str]) -> list[int]:
        return sorted({g.unit_id for g in self.grants if g.role in roles and g.unit_id})

    def households(self) -> list[int]:
        cached = getattr(self.user, "_hemei_households", None)
        if cached is None:
            cached = (
                _household_lookup(self.user) if _household_lookup and self.authenticated else []
            )
            self.user._hemei_households = cached
        return cached


def grants(user: Any) -> list[Any]:
    """The user's role assignments, read once per user object."""
    cached = getattr(user, "_hemei_grants", None)
    if cached is None:
        if not getattr(user, "is_authenticated", False):
            cached = []
        else:
            from .models import RoleAssignment

            cached = list(
                RoleAssignment.objects.filter(user=user).select_related("division", "unit")
            )
        user._hemei_grants = cached
    return cached


def forget_grants(user: Any) -> None:
    """Drop the cached assignments (and households) after they change."""
    user.__dict__.pop("_hemei_grants", None)
    user.__dict__.pop("_hemei_households", None)


# --------------------------------------------------------------------------- conditions


def _value(obj: Any, path: str) -> Any:
    """The value at a ``__`` path of a loaded object (a foreign key gives its id)."""
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
        if obj is None:
            return None
    try:
        attname = obj._meta.get_field(last).attname
    except FieldDoesNotExist:  # a plain attribute, not a model field
        attname = last
    return getattr(obj, attname)


class Cond:
    """A condition on rows: the same rule as a database filter and as a yes/no on one row."""

    def q(self) -> Q:
        raise NotImplementedError

    def test(self, obj: Any) -> bool:
        raise NotImplementedError

    @property
    def empty(self) -> bool:
        """Whether no row can ever pass (the user has no reach at all)."""
        return False

    def __or__(self, other: Cond) -> Cond:
        return Any_(self, other)

    def __and__(self, other: Cond) -> Cond:
        return All_(self, other)

    def __invert__(self) -> Cond:
        return Not(self)


class _Everything(Cond):
    def q(self) -> Q:
        return Q()

    def test(self, obj: Any) -> bool:
        return True


class _Nothing(Cond):
    def q(self) -> Q:
        return Q(pk__in=[])

    def test(self, obj: Any) -> bool:
        return False

    @property
    def empty(self) -> bool:
        return True


EVERYTHING: Cond = _Everything()
NOTHING: Cond = _Nothing()


@dataclass(frozen=True)
class Within(Cond):
    """``field`` (a division code) lies in the subtree of one of ``prefixes``."""

    field: str
    prefixes: tuple[str, ...]

    def q(self) -> Q:
        return subtree_q(self.prefixes, self.field) if self.prefixes else NOTHING.q()

    def test(self, obj: Any) -> bool:
        code = _value(obj, self.field)
        return code is not None and any(str(code).startswith(p) for p in self.prefixes)

    @property
    def empty(self) -> bool:
        return not self.prefixes


@dataclass(frozen=True)
class Below(Cond):
    """``field`` lies strictly below one of ``prefixes`` (the level under a grant)."""

    field: str
    prefixes: tuple[str, ...]

    def q(self) -> Q:
        if not self.prefixes:
            return NOTHING.q()
        condition = Q(pk__in=[])
        for prefix in self.prefixes:
            condition |= subtree_q([prefix], self.field) & ~Q(**{self.field: prefix})
        return condition

    def test(self, obj: Any) -> bool:
        code = _value(obj, self.field)
        return code is not None and any(
            str(code).startswith(p) and str(code) != p for p in self.prefixes
        )

    @property
    def empty(self) -> bool:
        return not self.prefixes


@dataclass(frozen=True)
class In(Cond):
    """``field`` is one of ``values`` (ancestors, the user's households, the user)."""

    field: str
    values: tuple[Any, ...]

    def q(self) -> Q:
        return Q(**{f"{self.field}__in": list(self.values)}) if self.values else NOTHING.q()

    def test(self, obj: Any) -> bool:
        return _value(obj, self.field) in self.values

    @property
    def empty(self) -> bool:
        return not self.values


@dataclass(frozen=True)
class Is(Cond):
    """``field`` holds ``value`` (a flag, a state)."""

    field: str
    value: Any

    def q(self) -> Q:
        return Q(**{self.field: self.value})

    def test(self, obj: Any) -> bool:
        return _value(obj, self.field) == self.value


@dataclass(frozen=True)
class Same(Cond):
    """Two fields of the row hold the same value (the requester is the task's lead leader)."""

    field: str
    other: str

    def q(self) -> Q:
        return Q(**{self.field: F(self.other)})

    def test(self, obj: Any) -> bool:
        value = _value(obj, self.field)
        return value is not None and value == _value(obj, self.other)


class Any_(Cond):
    def __init__(self, *parts: Cond) -> None:
        self.parts = tuple(p for p in parts if not p.empty)

    def q(self) -> Q:
        if any(isinstance(p, _Everything) for p in self.parts):
            return Q()
        condition = NOTHING.q()
        for part in self.parts:
            condition |= part.q()
        return condition

    def test(self, obj: Any) -> bool:
        return any(p.test(obj) for p in self.parts)

    @property
    def empty(self) -> bool:
        return not self.parts


class All_(Cond):
    def __init__(self, *parts: Cond) -> None:
        self.parts = parts

    def q(self) -> Q:
        condition = Q()
        for part in self.parts:
            condition &= part.q()
        return condition

    def test(self, obj: Any) -> bool:
        return all(p.test(obj) for p in self.parts)

    @property
    def empty(self) -> bool:
        return any(p.empty for p in self.parts)


class Not(Cond):
    def __init__(self, part: Cond) -> None:
        self.part = part

    def q(self) -> Q:
        return Q() if self.part.empty else ~self.part.q()

    def test(self, obj: Any) -> bool:
        return not self.part.test(obj)

    @property
    def empty(self) -> bool:
        return isinstance(self.part, _Everything)


# --------------------------------------------------------------------------- reaches

#: A reach: given the principal, the rule's roles and the policy, the rows it opens.
Reach = Callable[[Who, frozenset[str], "Policy"], Cond]


def subtree(field: str | None = None) -> Reach:
    """The subtree of each grant of the rule's roles."""

    def reach(who: Who, roles: frozenset[str], policy: Policy) -> Cond:
        return Within(field or policy.field, tuple(who.prefixes(roles)))

    return reach


def subtree_and_ancestors(field: str | None = None) -> Reach:
    """The subtree, and the divisions above it (meetings held and rules published above)."""

    def reach(who: Who, roles: frozenset[str], policy: Policy) -> Cond:
        prefixes = who.prefixes(roles)
        name = field or policy.field
        return Within(name, tuple(prefixes)) | In(name, tuple(ancestor_codes(prefixes)))

    return reach


def below(field: str | None = None) -> Reach:
    """Strictly under each grant: the level below reviews nothing of its own."""

    def reach(who: Who, roles: frozenset[str], policy: Policy) -> Cond:
        return Below(field or policy.field, tuple(who.prefixes(roles)))

    return reach


def own_grant_division(field: str | None = None) -> Reach:
    """Exactly the divisions the grants are held on (a town's own ranking, not below)."""

    def reach(who: Who, roles: frozenset[str], policy: Policy) -> Cond:
        codes = sorted({g.division_id for g in who.grants if g.role in roles})
        return In(field or policy.field, tuple(codes))

    return reach


def own_household(field: str = "household") -> Reach:
    """The households the user lives in (a villager's own)."""

    def reach(who: Who, roles: frozenset[str], policy: Policy) -> Cond:
        return In(field, tuple(who.households()))

    return reach


def own_person(field: str) -> Reach:
    """Rows naming the user in ``field`` (the responsible person, the lead leader)."""

    def reach(who: Who, roles: frozenset[str], policy: Policy) -> Cond:
        return In(field, (who.pk,)) if who.pk is not None else NOTHING

    return reach


def everywhere() -> Reach:
    def reach(who: Who, roles: frozenset[str], policy: Policy) -> Cond:
        return EVERYTHING

    return reach


def both(*reaches: Reach) -> Reach:
    """All of the reaches at once (e.g. the subtree, but not the user's own unit's rows)."""

    def reach(who: Who, roles: frozenset[str], policy: Policy) -> Cond:
        return All_(*(r(who, roles, policy) for r in reaches))

    return reach


def excluding(inner: Reach, *exclusions: Reach) -> Reach:
    def reach(who: Who, roles: frozenset[str], policy: Policy) -> Cond:
        cond = inner(who, roles, policy)
        for exclusion in exclusions:
            cut = exclusion(who, roles, policy)
            if not cut.empty:
                cond = All_(cond, Not(cut))
        return cond

    return reach


def units_lead(field: str) -> Reach:
    """Rows whose ``field`` (a unit) is one of the units the rule's grants act for."""

    def reach(who: Who, roles: frozenset[str], policy: Policy) -> Cond:
        return In(field, tuple(who.units(roles)))

    return reach


def where(cond: Callable[[Who], Cond]) -> Reach:
    """A reach from a plain condition (a flag such as ``Is('is_public', True)``)."""

    def reach(who: Who, roles: frozenset[str], policy: Policy) -> Cond:
        return cond(who)

    return reach


# --------------------------------------------------------------------------- rules, policies


@dataclass(frozen=True)
class Rule:
    """Holders of ``roles`` may take the action on the rows of ``reach``."""

    roles: frozenset[str]
    reach: Reach = field(default_factory=subtree)
    #: anyone signed in, whatever their roles (their own person, their own household)
    any_user: bool = False

    def condition(self, who: Who, policy: Policy) -> Cond:
        if not who.authenticated:
            return NOTHING
        if who.everything:
            return EVERYTHING
        if not self.any_user and not who.holds(self.roles):
            return NOTHING
        return self.reach(who, self.roles, policy)


def public() -> Rule:
    """Everyone, signed in or not (the village's public board)."""
    return _PublicRule(roles=frozenset(), reach=everywhere())


class _PublicRule(Rule):
    def condition(self, who: Who, policy: Policy) -> Cond:
        return EVERYTHING


class Policy:
    """The named actions of one model and the rules that open each."""

    def __init__(self, *, field: str = "division", **actions: Rule | Iterable[Rule]) -> None:
        self.field = field
        self.actions: dict[str, tuple[Rule, ...]] = {
            name: (rules,) if isinstance(rules, Rule) else tuple(rules)
            for name, rules in actions.items()
        }
        self.model: type[models.Model] | None = None

    def rules(self, action: str) -> tuple[Rule, ...]:
        try:
            return self.actions[action]
        except KeyError:
            label = self.model._meta.label if self.model else "?"
            raise UnknownAction(f"{label} has no action {action!r}") from None

    def condition(self, user: Any, action: str, *, by_role: bool = False) -> Cond:
        who = user if isinstance(user, Who) else Who(user)
        rules = self.rules(action)
        if by_role:
            rules = tuple(rule for rule in rules if not rule.any_user)
        return Any_(*(rule.condition(who, self) for rule in rules))

    def may(self, user: Any, action: str, *, by_role: bool = False) -> bool:
        """Whether some row could pass: the user holds a role (or, unless ``by_role``, is
        named somewhere) that opens the action."""
        return not self.condition(user, action, by_role=by_role).empty

    def restrict(self, queryset: models.QuerySet[M], user: Any, action: str) -> models.QuerySet[M]:
        condition = self.condition(user, action)
        if condition.empty:
            return queryset.none()
        return queryset.filter(condition.q())

    def allows(self, user: Any, action: str, obj: Any) -> bool:
        return self.condition(user, action).test(obj)


POLICIES: dict[type[models.Model], Policy] = {}


def register(model: type[models.Model], policy: Policy) -> Policy:
    policy.model = model
    POLICIES[model] = policy
    return policy


def policy_for(model_or_obj: Any) -> Policy:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    model = (getattr(model, "_meta", None) and model._meta.concrete_model) or model
    try:
        return POLICIES[model]
    except KeyError:
        raise UnknownAction(f"{model.__name__} has no access policy") from None


# --------------------------------------------------------------------------- asking


def _queryset(target: Any) -> models.QuerySet[Any]:
    if isinstance(target, models.QuerySet):
        return target
    if isinstance(target, models.Manager):
        return target.all()
    return target._default_manager.all()


def restrict(user: Any, action: str, target: Any) -> models.QuerySet[Any]:
    """The rows of ``target`` (a model, manager or queryset) the user may take ``action`` on."""
    queryset = _queryset(target)
    return policy_for(queryset.model).restrict(queryset, user, action)


def may(user: Any, action: str, model: Any) -> bool:
    """Whether the user may take ``action`` on some row of ``model`` (else 403)."""
    return policy_for(model).may(user, action)


def allows(user: Any, action: str, obj: Any) -> bool:
    return policy_for(obj).allows(user, action, obj)


def check(user: Any, action: str, obj: Any, message: str | None = None) -> None:
    """403 unless the user may take ``action`` on ``obj`` (whose reading was already scoped)."""
    if not allows(user, action, obj):
        raise PermissionDenied(message or _("You may not do this."))


def get_or_404(user: Any, action: str, target: Any, **lookup: Any) -> Any:
    """The row, if the user may take ``action`` on it: 403 when no role opens the action at
    all, 404 when the row is missing or outside the reach (the same answer for both)."""
    queryset = _queryset(target)
    policy = policy_for(queryset.model)
    condition = policy.condition(user, action)
    if condition.empty:
        raise PermissionDenied(_("Your role does not open this page."))
    try:
        return queryset.filter(condition.q()).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def holds_any(user: Any, roles: frozenset[str]) -> bool:
    return Who(user).holds(roles)


def allowed(
    model: type[models.Model], action: str = "view"
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view decorator: signed in (else the login page) and opened by the policy (else 403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not may(request.user, action, model):
                raise PermissionDenied(_("Your role does not open this page."))
            return view(request, *args, **kwargs)

        wrapped.policy_action = (model, action)  # type: ignore[attr-defined]
        return wrapped

    return decorator


class RestrictedQuerySet(models.QuerySet[M]):
    """A queryset that can ask the policy: ``Task.objects.restrict(user, "view")``."""

    def restrict(self, user: Any, action: str) -> RestrictedQuerySet[M]:
        return policy_for(self.model).restrict(self, user, action)  # type: ignore[return-value]

    def visible_to(self, user: Any) -> RestrictedQuerySet[M]:
        """The rows the user may see: ``restrict(user, "view")``."""
        return self.restrict(user, "view")


def allows_at(user: Any, action: str, code: str) -> bool:
    """Whether the user may take ``action`` at the division ``code`` (the Division policy)."""
    from hemei.divisions.models import Division

    return allows(user, action, Division(code=code))


def check_at(user: Any, action: str, code: str, message: str | None = None) -> None:
    if not allows_at(user, action, code):
        raise PermissionDenied(message or _("You may not do this here."))


def places(user: Any, action: str) -> models.QuerySet[Any]:
    """The divisions where the user may take ``action``."""
    from hemei.divisions.models import Division

    return restrict(user, action, Division.objects.all())


def holds_role(user: Any) -> bool:
    """Whether the user holds any role (superusers count as holding all)."""
    who = Who(user)
    return who.everything or bool(who.grants)


def role_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) and holding some role (else 403): pages every role
    has, such as the home page. Pages of one kind of data use :func:`allowed` instead."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not holds_role(request.user):
            raise PermissionDenied(_("Your account holds no role yet; ask your administrator."))
        return view(request, *args, **kwargs)

    return wrapped


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and administering some part of the tree (the Division ``administer``)."""
    from hemei.divisions.models import Division

    return allowed(Division, "administer")(view)


def is_admin(user: Any) -> bool:
    from hemei.divisions.models import Division

    return may(user, "administer", Division)


def check_administers(actor: Any, division: Any) -> None:
    """403 unless ``actor`` administers ``division`` (a system admin for no division)."""
    if division is None:
        if not Who(actor).everything:
            raise PermissionDenied(
                _("Only a system administrator may manage accounts without a division.")
            )
        return
    if not allows_at(actor, "administer", division.code):
        raise PermissionDenied(_("You do not administer %(division)s.") % {"division": division})
