"""Writing accounts and roles. Every write checks the actor's scope and leaves an audit entry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from hemei.divisions.models import Division

from .audit import diff, record, snapshot
from .choices import ROLE_LEVELS, ROLES_WITH_UNIT, AuditAction, Role
from .models import RoleAssignment, User
from .policy import allows_at, check_administers, forget_grants

#: Units lie above accounts (their pages ask the access policy); a role reaches its unit
#: through the relation, so this app never imports the units app.
Unit = RoleAssignment._meta.get_field("unit").related_model

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")
USERNAME = re.compile(r"^[\w.@+-]{2,150}$")


def _clean_phone(phone: str) -> str:
    phone = phone.strip()
    if phone and not PHONE.match(phone):
        raise ValidationError({"phone": _("Enter a phone number of digits, e.g. 13905321234.")})
    return phone


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    full_name: str,
    password: str,
    division: Division | None,
    phone: str = "",
    role: str | None = None,
    unit: Unit | None = None,
) -> User:
    """Create an account at ``division`` (and grant it ``role`` there, when given)."""
    check_administers(actor, division)
    username = username.strip()
    if not USERNAME.match(username):
        raise ValidationError(
            {"username": _("Use 2 to 150 letters, digits or the characters . @ + - _.")}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("The username %(name)s is taken.") % {"name": username}}
        )
    user = User(
        username=username,
        full_name=full_name.strip(),
        phone=_clean_phone(phone),
        division=division,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=user,
        changes=diff({}, snapshot(user)),
        division_code=division.code if division else "",
    )
    if role:
        grant_role(actor=actor, user=user, role=role, division=division, unit=unit)
    return user


@transaction.atomic
def update_user(*, actor: Any, user: User, **fields: Any) -> User:
    """Change name, phone, home division or whether the account is active."""
    check_administers(actor, user.division)
    if "division" in fields:
        check_administers(actor, fields["division"])
    if "phone" in fields:
        fields["phone"] = _clean_phone(fields["phone"])
    if user.pk == actor.pk and fields.get("is_active") is False:
        raise ValidationError(_("You cannot deactivate your own account."))
    before = snapshot(user)
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    user.full_clean(exclude=["password"])
    changes = diff(before, snapshot(user))
    if changes:
        user.save()
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=user,
            changes=changes,
            division_code=user.division_id or "",
        )
    return user


@transaction.atomic
def set_password(*, actor: Any, user: User, password: str) -> None:
    check_administers(actor, user.division)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=user,
        changes={"password": ["***", "***"]},
        division_code=user.division_id or "",
    )


@transaction.atomic
def grant_role(
    *, actor: Any, user: User, role: str, division: Division | None, unit: Unit | None = None
) -> RoleAssignment:
    """Give ``user`` the ``role`` on ``division`` (and its subtree)."""
    if division is None:
        raise ValidationError({"division": _("A role is held on a division.")})
    check_administers(actor, division)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if division.level not in ROLE_LEVELS[role]:
        raise ValidationError(
            {
                "division": _("A %(role)s is appointed on a %(levels)s, not on a %(level)s.")
                % {
                    "role": Role(role).label,
                    "levels": "、".join(
                        str(label)
                        for value, label in Division._meta.get_field("level").choices  # type: ignore[union-attr]
                        if value in ROLE_LEVELS[role]
                    ),
                    "level": division.get_level_display(),
                }
            }
        )
    if role in ROLES_WITH_UNIT and unit is None:
        raise ValidationError({"unit": _("Department staff must belong to a unit.")})
    if unit is not None and not (
        division.code.startswith(unit.division_id) or unit.division_id.startswith(division.code)
    ):
        raise ValidationError({"unit": _("The unit belongs to another area.")})
    if RoleAssignment.objects.filter(user=user, role=role, division=division).exists():
        raise ValidationError(_("The user already holds this role here."))
    assignment = RoleAssignment.objects.create(
        user=user, role=role, division=division, unit=unit, granted_by=actor if actor.pk else None
    )
    forget_grants(user)
    record(
        actor=actor,
        action=AuditAction.GRANT,
        instance=user,
        changes={
            "role": [None, role],
            "division": [None, division.code],
            "unit": [None, unit.pk if unit else None],
        },
        division_code=division.code,
    )
    return assignment


@transaction.atomic
def revoke_role(*, actor: Any, assignment: RoleAssignment) -> None:
    check_administers(actor, assignment.division)
    if assignment.user_id == actor.pk and assignment.role == Role.COUNTY_ADMIN:
        raise ValidationError(_("You cannot take away your own administrator role."))
    user = assignment.user
    record(
        actor=actor,
        action=AuditAction.REVOKE,
        instance=user,
        changes={"role": [assignment.role, None], "division": [assignment.division_id, None]},
        division_code=assignment.division_id,
    )
    assignment.delete()
    forget_grants(user)


# --- Import from Excel ---------------------------------------------------------------------

IMPORT_COLUMNS = {
    "username": ("用户名", "username"),
    "full_name": ("姓名", "full name", "name"),
    "phone": ("手机", "手机号", "电话", "phone"),
    "role": ("角色", "role"),
    "division": ("区划代码", "division code", "division"),
    "unit": ("单位", "unit"),
    "password": ("初始密码", "密码", "password"),
}
REQUIRED_COLUMNS = ("username", "full_name", "role", "division", "password")
MAX_IMPORT_ROWS = 5000


@dataclass
class ImportReport:
    """The outcome of an import: the created users, or the problems row by row."""

    created: list[User] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class UserImportError(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.errors)} problems")
        self.report = report


def _role_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in Role.choices:
        lookup[value] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(label).strip().lower()] = value
    return lookup


def _read_sheet(data: bytes) -> list[tuple[int, dict[str, str]]]:
    from hemei.core.xlsx import TooManyRows, UnreadableWorkbook, open_workbook

    try:
        with open_workbook(data, max_rows=MAX_IMPORT_ROWS + 1) as book:
            return _sheet_rows(book.sheets[0].rows())
    except TooManyRows:
        message = _("At most %(n)s rows per import.") % {"n": MAX_IMPORT_ROWS}
        raise UserImportError(ImportReport(errors=[(0, message)])) from None
    except UnreadableWorkbook as refused:
        raise UserImportError(ImportReport(errors=[(0, refused.message)])) from None


def _sheet_rows(rows: Iterator[tuple[Any, ...]]) -> list[tuple[int, dict[str, str]]]:
    header = next(rows, None)
    if not header:
        raise UserImportError(ImportReport(errors=[(1, _("The sheet is empty."))]))
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        text = str(title or "").strip().lower()
        for key, names in IMPORT_COLUMNS.items():
            if text in names:
                positions[key] = index
    missing = [IMPORT_COLUMNS[key][0] for key in REQUIRED_COLUMNS if key not in positions]
    if missing:
        raise UserImportError(
            ImportReport(
                errors=[(1, _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})]
            )
        )
    result: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(rows, start=2):
        if all(value in (None, "") for value in values):
            continue
        record_ = {
            key: "" if index >= len(values) or values[index] is None else str(values[index]).strip()
            for key, index in positions.items()
        }
        result.append((number, record_))
        if len(result) > MAX_IMPORT_ROWS:
            raise UserImportError(
                ImportReport(
                    errors=[(number, _("At most %(n)s rows per import.") % {"n": MAX_IMPORT_ROWS})]
                )
            )
    return result


def import_users(*, actor: Any, data: bytes) -> ImportReport:
    """Create the users of a sheet, all or none: any bad row and nothing is written."""
    rows = _read_sheet(data)
    report = ImportReport()
    if not rows:
        report.errors.append((2, _("The sheet has no users.")))
        raise UserImportError(report)
    roles = _role_lookup()
    seen: dict[str, int] = {}
    try:
        with transaction.atomic():
            for number, row in rows:
                problem = _import_row(actor, row, roles, seen, number, report)
                if problem:
                    report.errors.append((number, problem))
            if report.errors:
                raise UserImportError(report)
    except UserImportError:
        report.created = []
        raise
    return report


def _import_row(
    actor: Any,
    row: dict[str, str],
    roles: dict[str, str],
    seen: dict[str, int],
    number: int,
    report: ImportReport,
) -> str | None:
    username = row.get("username", "")
    if not username:
        return _("The username is empty.")
    key = username.lower()
    if key in seen:
        return _("Username %(name)s is also on row %(row)s.") % {"name": username, "row": seen[key]}
    seen[key] = number
    role = roles.get(row.get("role", "").strip().lower())
    if role is None:
        return _("Unknown role %(role)s.") % {"role": row.get("role", "")}
    division = Division.objects.current().filter(code=row.get("division", "")).first()
    if division is None or not allows_at(actor, "administer", division.code):
        return _("No division with code %(code)s in your area.") % {"code": row.get("division", "")}
    unit = None
    if row.get("unit"):
        unit = (
            Unit.objects.visible_to(actor).filter(name=row["unit"]).first()
            or Unit.objects.visible_to(actor).filter(short_name=row["unit"]).first()
        )
        if unit is None:
            return _("Unknown unit %(unit)s.") % {"unit": row["unit"]}
    try:
        with transaction.atomic():
            user = create_user(
                actor=actor,
                username=username,
                full_name=row.get("full_name", ""),
                password=row.get("password", ""),
                division=division,
                phone=row.get("phone", ""),
                role=role,
                unit=unit,
            )
    except ValidationError as exc:
        return " ".join(exc.messages)
    except PermissionDenied as exc:
        return str(exc)
    report.created.append(user)
    return None
