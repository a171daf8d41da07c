from __future__ import annotations

import datetime as dt

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hemei.core.forms import apply_errors
from hemei.core.htmx import template_for
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.core.search import search

from . import services
from .choices import AuditAction, Role
from .forms import GrantForm, ImportForm, PasswordForm, UserCreateForm, UserEditForm
from .lockout import cooloff_text
from .models import AuditEntry, RoleAssignment, User
from .policy import admin_required


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        """After a failed login say how many tries are left before the account locks."""
        username = form.data.get("username", "")
        if username:
            credentials = {"username": username}
            left = get_failure_limit(self.request, credentials) - AxesProxyHandler.get_failures(
                self.request, credentials
            )
            if left > 0:
                form.add_error(
                    None,
                    ngettext(
                        "%(count)d more try before the account is locked for %(cooloff)s.",
                        "%(count)d more tries before the account is locked for %(cooloff)s.",
                        left,
                    )
                    % {"count": left, "cooloff": cooloff_text(get_cool_off(self.request))},
                )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


def _users(request: HttpRequest):  # type: ignore[no-untyped-def]
    users = (
        User.objects.visible_to(request.user)
        .select_related("division")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("division", "unit"),
            )
        )
        .search(request.GET.get("q", ""))
    )
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role_assignments__role=role).distinct()
    if request.GET.get("active") == "no":
        users = users.filter(is_active=False)
    elif request.GET.get("active") != "all":
        users = users.filter(is_active=True)
    return users


@admin_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = _users(request)
    if wants_export(request):
        return xlsx_response(
            filename="users",
            title=_("Users"),
            columns=[
                (_("Username"), lambda u: u.username),
                (_("Full name"), lambda u: u.full_name),
                (_("Phone"), lambda u: u.masked_phone),
                (_("Division"), lambda u: u.division.name if u.division else ""),
                (
                    _("Roles"),
                    lambda u: "；".join(
                        f"{a.get_role_display()}·{a.division.name}"
                        for a in u.role_assignments.all()
                    ),
                ),
                (_("Active"), lambda u: _("yes") if u.is_active else _("no")),
            ],
            queryset=users,
        )
    return render(
        request,
        template_for(request, "accounts/user_list.html", "accounts/partials/user_rows.html"),
        {"page": paginate(request, users), "roles": Role.choices},
    )


@admin_required
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


@admin_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    initial = {
        "full_name": user.full_name,
        "division": user.division_id,
        "is_active": user.is_active,
    }
    edit = UserEditForm(
        request.POST if request.POST.get("form") == "edit" else None,
        initial=initial,
        user=request.user,
    )
    grant = GrantForm(
        request.POST if request.POST.get("form") == "grant" else None, user=request.user
    )
    password = PasswordForm(request.POST if request.POST.get("form") == "password" else None)
    if request.method == "POST":
        try:
            if edit.is_bound and edit.is_valid():
                data = dict(edit.cleaned_data)
                if not data["phone"]:
                    del data["phone"]
                services.update_user(actor=request.user, user=user, **data)
                messages.success(request, _("Saved."))
                return redirect("accounts:user_detail", pk=user.pk)
            if grant.is_bound and grant.is_valid():
                services.grant_role(actor=request.user, user=user, **grant.cleaned_data)
                messages.success(request, _("Role granted."))
                return redirect("accounts:user_detail", pk=user.pk)
            if password.is_bound and password.is_valid():
                services.set_password(
                    actor=request.user, user=user, password=password.cleaned_data["password"]
                )
                messages.success(request, _("Password changed."))
                return redirect("accounts:user_detail", pk=user.pk)
        except ValidationError as exc:
            bound = next(form for form in (edit, grant, password) if form.is_bound)
            apply_errors(bound, exc)
        except PermissionDenied as exc:
            bound = next(form for form in (edit, grant, password) if form.is_bound)
            bound.add_error(None, str(exc))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": user,
            "assignments": user.role_assignments.select_related("division", "unit"),
            "edit": edit,
            "grant": grant,
            "password": password,
        },
        status=status,
    )


@admin_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        RoleAssignment.objects.restrict(request.user, "view").select_related("user", "division"),
        pk=pk,
    )
    if not User.objects.visible_to(request.user).filter(pk=assignment.user_id).exists():
        raise PermissionDenied
    try:
        services.revoke_role(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("accounts:user_detail", pk=assignment.user_id)


@admin_required
def user_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = services.import_users(
                    actor=request.user, data=form.cleaned_data["file"].read()
                )
            except services.UserImportError as exc:
                report = exc.report
                status = 400
            else:
                messages.success(
                    request,
                    _("Imported %(n)s users.") % {"n": len(report.created)},
                )
                return redirect("accounts:user_list")
        else:
            status = 400
    return render(
        request,
        "accounts/user_import.html",
        {"form": form, "report": report, "columns": services.IMPORT_COLUMNS},
        status=status,
    )


@admin_required
def user_import_template(request: HttpRequest) -> HttpResponse:
    """An empty sheet with the import columns and one example row."""
    from hemei.core.downloads import download
    from hemei.core.xlsx import CONTENT_TYPE, render_xlsx

    data = render_xlsx(
        title=_("Users"),
        headers=[names[0] for names in services.IMPORT_COLUMNS.values()],
        rows=[["zhangsan", "张三", "13900000000", "村干部", "370215100214", "", "Change-me-2026"]],
    )
    return download(data, filename="users-template.xlsx", content_type=CONTENT_TYPE)


def _parse_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@admin_required
def audit_list(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.restrict(request.user, "view").select_related("content_type")
    entries = search(entries, request.GET.get("q"), ["actor_name", "object_repr"])
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    kind = request.GET.get("kind", "")
    if kind.isdigit():
        entries = entries.filter(content_type_id=int(kind))
    start, end = _parse_day(request.GET.get("from", "")), _parse_day(request.GET.get("to", ""))
    if start:
        entries = entries.filter(at__date__gte=start)
    if end:
        entries = entries.filter(at__date__lte=end)
    if wants_export(request):
        return xlsx_response(
            filename="audit",
            title=_("Audit log"),
            columns=[
                (_("Time"), lambda e: e.at.strftime("%Y-%m-%d %H:%M:%S")),
                (_("By"), lambda e: e.actor_name),
                (_("Action"), lambda e: e.get_action_display()),
                (_("Kind"), lambda e: str(e.content_type)),
                (_("Object"), lambda e: e.object_repr),
                (_("Changes"), lambda e: str(e.changes)),
            ],
            queryset=entries,
        )
    kinds = ContentType.objects.filter(
        pk__in=AuditEntry.objects.values("content_type_id").distinct()
    )
    return render(
        request,
        template_for(request, "accounts/audit_list.html", "accounts/partials/audit_rows.html"),
        {"page": paginate(request, entries), "actions": AuditAction.choices, "kinds": kinds},
    )
