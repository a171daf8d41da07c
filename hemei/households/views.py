"""Pages of the household register: thin views over :mod:`.services` and :mod:`.sheets`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hemei.accounts.policy import (
    admin_required,
    allowed,
    allows_at,
    is_admin,
    may,
    role_required,
)
from hemei.core.downloads import download, stamped
from hemei.core.forms import apply_errors, pk_or_none
from hemei.core.htmx import is_htmx, template_for
from hemei.core.lists import paginate, wants_export
from hemei.core.search import search
from hemei.divisions.models import Division

from . import forms, selectors, services, sheets
from .choices import SensitiveField
from .models import Household, Resident, SensitiveView, VillageGroup

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, name: str) -> HttpResponseBase:
    return download(data, filename=stamped(f"{name}.xlsx"), content_type=XLSX)


# --- households --------------------------------------------------------------------------


def _households(request: HttpRequest) -> Any:
    households = (
        Household.objects.restrict(request.user, "browse")
        .select_related("village", "group", "head")
        .defer("head__id_number", "head__phone")
        .annotate(size=Count("members", filter=Q(members__is_active=True)))
        .search(request.GET.get("q"))
    )
    village = request.GET.get("village", "")
    if village.isdigit():
        households = households.filter(village_id=village)
    group = pk_or_none(request.GET.get("group"))
    if group is not None:
        households = households.filter(group_id=group)
    state = request.GET.get("active", "")
    if state == "no":
        households = households.filter(is_active=False)
    elif state != "all":
        households = households.filter(is_active=True)
    return households.order_by("village_id", "number", "id")


@allowed(Household, "browse")
def household_list(request: HttpRequest) -> HttpResponse:
    households = _households(request)
    if wants_export(request):
        return _export(request, households)
    village_choices = forms.villages(request.user, write=False).filter(
        code__in=Household.objects.restrict(request.user, "browse").values("village_id")
    )
    return render(
        request,
        template_for(
            request, "households/household_list.html", "households/partials/household_rows.html"
        ),
        {
            "page": paginate(request, households),
            "villages": village_choices,
            "groups": VillageGroup.objects.restrict(request.user, "browse").filter(
                village_id=request.GET.get("village", "")
            )
            if request.GET.get("village", "").isdigit()
            else VillageGroup.objects.none(),
            "can_write": may(request.user, "write_register", Division),
            "can_export_full": _full_export_village(request) is not None,
            "can_see_log": is_admin(request.user),
        },
    )


def _full_export_village(request: HttpRequest) -> Any:
    """The village a full export may cover: one chosen village the user administers."""
    code = request.GET.get("village", "")
    if not code.isdigit() or not allows_at(request.user, "administer", code):
        return None
    return forms.villages(request.user, write=False).filter(code=code).first()


def _export(request: HttpRequest, households: Any) -> HttpResponse:
    residents = (
        Resident.objects.filter(household__in=households.values("pk"), is_active=True)
        .select_related("household__group")
        .order_by("household__village_id", "household__number", "id")
    )
    full = request.GET.get("full") == "1"
    if full:
        village = _full_export_village(request)
        if village is None:
            raise PermissionDenied(_("A full export is for administrators, one village at a time."))
        residents = residents.filter(village=village)
        services.log_full_export(actor=request.user, village=village, rows=residents.count())
    return _download(sheets.export_xlsx(residents, full=full), "households")


@allowed(Household, "browse")
def household_create(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "write_register", Division):
        raise PermissionDenied(_("Your role may not change the household register."))
    form = forms.HouseholdCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        head = {
            key: data.pop(key) for key in ("name", "gender", "birth_date", "id_number", "phone")
        }
        try:
            household = services.create_household(actor=request.user, head=head, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Household %(n)s registered.") % {"n": household.number})
            return redirect("households:household_detail", pk=household.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "households/household_form.html",
        {"form": form, "title": _("New household")},
        status=status,
    )


def _readable_household(request: HttpRequest, pk: int) -> Household:
    return get_object_or_404(
        Household.objects.restrict(request.user, "browse").select_related(
            "village", "group", "head"
        ),
        pk=pk,
    )


@allowed(Household, "browse")
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = _readable_household(request, pk)
    members = household.members.order_by("-is_active", "id")
    events = household.events.select_related("related_household", "actor").order_by("-date", "-id")
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "members": members,
            "events": events,
            "can_write": allows_at(request.user, "write_register", household.village_id),
            "can_see_full": allows_at(request.user, "write_register", household.village_id),
        },
    )


def _writable_household(request: HttpRequest, pk: int) -> Household:
    household = _readable_household(request, pk)
    if not allows_at(request.user, "write_register", household.village_id):
        raise PermissionDenied(_("You may not change the household register of this village."))
    return household


def _action_page(
    request: HttpRequest,
    household: Household,
    form: Form,
    title: str,
    act: Any,
    success: str,
    *,
    resident: Resident | None = None,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("households:household_detail", pk=household.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "households/household_action.html",
        {"household": household, "form": form, "title": title, "resident": resident},
        status=status,
    )


@allowed(Household, "browse")
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = _writable_household(request, pk)
    form = forms.HouseholdEditForm(
        request.POST or None,
        household=household,
        initial={
            "number": household.number,
            "group": household.group_id,
            "address": household.address,
        },
    )
    return _action_page(
        request,
        household,
        form,
        _("Edit household"),
        lambda data: services.update_household(actor=request.user, household=household, **data),
        _("Saved."),
    )


@allowed(Household, "browse")
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = _writable_household(request, pk)
    form = forms.MemberAddForm(request.POST or None)
    return _action_page(
        request,
        household,
        form,
        _("Add a member"),
        lambda data: services.add_member(actor=request.user, household=household, **data),
        _("Member added."),
    )


@allowed(Household, "browse")
def head_change(request: HttpRequest, pk: int) -> HttpResponse:
    household = _writable_household(request, pk)
    form = forms.ChangeHeadForm(request.POST or None, household=household)

    def act(data: dict[str, Any]) -> None:
        services.change_head(
            actor=request.user,
            household=household,
            new_head=data["new_head"],
            former_head_relation=data.get("former_head_relation") or "other",
            date=data["date"],
            note=data["note"],
        )

    return _action_page(request, household, form, _("Change of head"), act, _("Head changed."))


@allowed(Household, "browse")
def household_split(request: HttpRequest, pk: int) -> HttpResponse:
    household = _writable_household(request, pk)
    form = forms.SplitForm(request.POST or None, household=household)

    def act(data: dict[str, Any]) -> None:
        new = services.split_household(
            actor=request.user,
            household=household,
            members=list(data["members"]),
            new_head=data["new_head"],
            new_number=data["new_number"],
            relations=form.relations(),
            address=data["address"],
            date=data["date"],
            note=data["note"],
        )
        messages.info(request, _("New household %(n)s.") % {"n": new.number})

    return _action_page(
        request, household, form, _("Split the household"), act, _("Household split.")
    )


@allowed(Household, "browse")
def household_merge(request: HttpRequest, pk: int) -> HttpResponse:
    household = _writable_household(request, pk)
    form = forms.MergeForm(request.POST or None, household=household)

    def act(data: dict[str, Any]) -> None:
        services.merge_households(
            actor=request.user,
            source=household,
            target=data["target"],
            relations=form.relations(),
            date=data["date"],
            note=data["note"],
        )

    return _action_page(
        request, household, form, _("Merge into another household"), act, _("Households merged.")
    )


@allowed(Household, "browse")
def household_move_out(request: HttpRequest, pk: int) -> HttpResponse:
    household = _writable_household(request, pk)
    form = forms.EventForm(request.POST or None)
    return _action_page(
        request,
        household,
        form,
        _("Move the household out"),
        lambda data: services.move_out_household(actor=request.user, household=household, **data),
        _("Household moved out."),
    )


def _writable_resident(request: HttpRequest, pk: int) -> Resident:
    resident = get_object_or_404(
        Resident.objects.restrict(request.user, "browse").select_related("household"), pk=pk
    )
    if not allows_at(request.user, "write_register", resident.village_id):
        raise PermissionDenied(_("You may not change the household register of this village."))
    return resident


@allowed(Household, "browse")
def resident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _writable_resident(request, pk)
    form = forms.ResidentEditForm(request.POST or None, resident=resident)

    @transaction.atomic
    def act(data: dict[str, Any]) -> None:
        fields = {key: value for key, value in data.items() if key in services.PERSON_FIELDS}
        for key in ("id_number", "phone"):
            if not fields.get(key):
                fields.pop(key, None)
        services.update_resident(actor=request.user, resident=resident, **fields)
        if data["account"] != resident.user:
            services.link_account(actor=request.user, resident=resident, user=data["account"])

    return _action_page(
        request,
        resident.household,
        form,
        _("Edit %(name)s") % {"name": resident.name},
        act,
        _("Saved."),
        resident=resident,
    )


@allowed(Household, "browse")
def resident_remove(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _writable_resident(request, pk)
    form = forms.MemberRemoveForm(request.POST or None)
    return _action_page(
        request,
        resident.household,
        form,
        _("%(name)s leaves the household") % {"name": resident.name},
        lambda data: services.remove_member(actor=request.user, resident=resident, **data),
        _("Member removed."),
        resident=resident,
    )


@never_cache
@allowed(Household, "browse")
@require_POST
def resident_reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """Show one protected value in full, on an explicit request; the showing is logged."""
    if field not in (SensitiveField.ID_NUMBER, SensitiveField.PHONE):
        raise Http404
    resident = get_object_or_404(
        Resident.objects.restrict(request.user, "browse").select_related("household"), pk=pk
    )
    value = services.reveal(actor=request.user, resident=resident, field=field)
    context = {"resident": resident, "value": value, "field": field}
    if is_htmx(request):
        return render(request, "households/partials/revealed.html", context)
    return render(request, "households/resident_reveal.html", context)


@role_required
def my_household(request: HttpRequest) -> HttpResponse:
    """A villager's own household as registered (masked), or a note that none is linked
    (a villager's page: other roles are refused, as on the points' 'my household')."""
    if not may(request.user, "live_in", Division):
        raise PermissionDenied(_("Your role does not open this page."))
    household = selectors.household_of(request.user)
    context: dict[str, Any] = {"household": household}
    if household is not None:
        context["members"] = household.members.filter(is_active=True).order_by("id")
        context["events"] = household.events.select_related("related_household").order_by(
            "-date", "-id"
        )
    return render(request, "households/my_household.html", context)


# --- village groups ----------------------------------------------------------------------


@allowed(Household, "browse")
def group_list(request: HttpRequest) -> HttpResponse:
    groups = (
        VillageGroup.objects.restrict(request.user, "browse")
        .select_related("village")
        .annotate(household_count=Count("households", filter=Q(households__is_active=True)))
        .order_by("village_id", "number", "name")
    )
    writer = may(request.user, "write_register", Division)
    form = forms.VillageGroupForm(request.POST or None, user=request.user) if writer else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Your role may not change the household register."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                group = services.create_village_group(
                    actor=request.user,
                    village=data["village"],
                    name=data["name"],
                    number=data["number"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Group %(name)s added.") % {"name": group.name})
                return redirect("households:group_list")
        status = 400
    return render(
        request,
        "households/group_list.html",
        {"page": paginate(request, groups), "form": form},
        status=status,
    )


@allowed(Household, "browse")
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(VillageGroup.objects.restrict(request.user, "browse"), pk=pk)
    if not allows_at(request.user, "write_register", group.village_id):
        raise PermissionDenied(_("You may not change the household register of this village."))
    form = forms.VillageGroupForm(
        request.POST or None,
        user=request.user,
        initial={"village": group.village_id, "name": group.name, "number": group.number},
    )
    form.fields["village"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_village_group(
                actor=request.user,
                group=group,
                name=form.cleaned_data["name"],
                number=form.cleaned_data["number"] or 0,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("households:group_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "households/household_form.html",
        {"form": form, "title": _("Edit group %(name)s") % {"name": group.name}},
        status=status,
    )


# --- import, and the log of full views ---------------------------------------------------


@allowed(Household, "browse")
def register_import(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "write_register", Division):
        raise PermissionDenied(_("Your role may not change the household register."))
    form = forms.ImportForm(request.POST or None, request.FILES or None, user=request.user)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = sheets.import_register(
                    actor=request.user,
                    village=form.cleaned_data["village"],
                    data=form.cleaned_data["file"].read(),
                )
            except sheets.ImportFailed as exc:
                report = exc.report
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Imported: %(hc)s households created, %(ma)s members added, "
                        "%(mu)s corrected, %(un)s unchanged."
                    )
                    % {
                        "hc": report.households_created,
                        "ma": report.members_added,
                        "mu": report.members_updated,
                        "un": report.unchanged,
                    },
                )
                village = form.cleaned_data["village"].code
                return redirect(f"{reverse('households:household_list')}?village={village}")
        else:
            status = 400
    return render(
        request,
        "households/register_import.html",
        {"form": form, "report": report, "columns": sheets.HEADERS},
        status=status,
    )


@allowed(Household, "browse")
def import_template(request: HttpRequest) -> HttpResponse:
    return download(sheets.template_xlsx(), filename="户籍导入模板.xlsx", content_type=XLSX)


@admin_required
def sensitive_view_list(request: HttpRequest) -> HttpResponse:
    views = (
        SensitiveView.objects.restrict(request.user, "view")
        .select_related("viewer", "village", "resident__household")
        .order_by("-at", "-id")
    )
    views = search(
        views,
        request.GET.get("q"),
        ["viewer__username", "viewer__full_name", "resident__name", "village__name"],
    )
    field = request.GET.get("field", "")
    if field in SensitiveField.values:
        views = views.filter(field=field)
    if wants_export(request):
        from hemei.core.lists import xlsx_response

        return xlsx_response(
            filename="sensitive-views",
            title=_("Full views"),
            columns=[
                (_("Time"), lambda v: timezone.localtime(v.at).strftime("%Y-%m-%d %H:%M")),
                (_("Viewer"), lambda v: str(v.viewer)),
                (_("Village"), lambda v: v.village.name),
                (_("Household"), lambda v: v.resident.household.number if v.resident else ""),
                (_("Resident"), lambda v: v.resident.name if v.resident else ""),
                (_("Field"), lambda v: v.get_field_display()),
                (_("Rows"), lambda v: v.rows),
            ],
            queryset=views,
        )
    return render(
        request,
        template_for(
            request,
            "households/sensitive_view_list.html",
            "households/partials/sensitive_rows.html",
        ),
        {"page": paginate(request, views), "fields": SensitiveField.choices},
    )
