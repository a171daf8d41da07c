"""Pages of governance points: thin views over :mod:`.services` and :mod:`.selectors`.

Officials reach a village through the policy's ``read_village`` (out of scope: 404);
villagers reach their own household, their village's notices and its shop, nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hemei.accounts.policy import allows_at, get_or_404, may, places, role_required
from hemei.core import clock
from hemei.core.downloads import download, stamped
from hemei.core.forms import apply_errors, pk_or_none
from hemei.core.htmx import template_for
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.core.search import clean_query, search
from hemei.core.xlsx import render_xlsx
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.documents.rendering import PersonalDataInNotice
from hemei.households.selectors import household_of
from hemei.procedures.adoption import VersionState

from . import selectors, services
from .choices import Category, EntryState
from .documents import NoticeRow, render_notice_docx
from .forms import (
    AdoptForm,
    BulkForm,
    DecisionForm,
    DraftForm,
    EntryForm,
    GoodsForm,
    ItemForm,
    ReasonForm,
    RedeemForm,
    RequestForm,
    RestockForm,
    SettingsForm,
    SettleForm,
    TemplateForm,
    one_time_key,
)
from .models import Entry, Goods, LedgerEntry, RuleItem, RuleSet, RuleVersion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _opens(request: HttpRequest, *actions: str) -> None:
    """403 unless one of the user's roles opens one of ``actions`` somewhere (the policy's
    answer before the place's: a role that never opens the page is not told 404)."""
    if not any(may(request.user, action, Division) for action in actions):
        raise PermissionDenied(_("Your role does not open this page."))


def _village(request: HttpRequest, code: str) -> Division:
    """A village the user reads as an official: 403 for a role that reads no village's
    points, 404 for a village outside the user's area."""
    _opens(request, "read_village")
    return get_object_or_404(
        places(request.user, "read_village").filter(level=Level.VILLAGE), code=code
    )


def _public_village(request: HttpRequest, code: str) -> Division:
    """A village whose published pages the user may see: as an official or a villager of it."""
    _opens(request, "read_village", "live_in")
    village = get_object_or_404(Division, code=code, level=Level.VILLAGE)
    if not (
        allows_at(request.user, "read_village", code) or allows_at(request.user, "live_in", code)
    ):
        raise Http404
    return village


def _download(data: bytes, filename: str, content_type: str) -> HttpResponseBase:
    return download(data, filename=stamped(filename), content_type=content_type)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return clock.today().year
    return year if 2000 <= year <= 2100 else clock.today().year


# --- home and the villager's view -------------------------------------------------------


@role_required
def home(request: HttpRequest) -> HttpResponse:
    """Officials: the villages in their area. Villagers: their own household."""
    if not may(request.user, "read_village", Division):
        _opens(request, "live_in")
        return redirect("points:my_household")
    villages = (
        places(request.user, "read_village").filter(level=Level.VILLAGE).current().order_by("code")
    )
    towns = places(request.user, "read_village").filter(level=Level.TOWN).order_by("code")[:50]
    query = clean_query(request.GET.get("q"))
    if query:
        villages = villages.search(query)
    elif not towns:
        only = list(villages[:2])
        if len(only) == 1:  # a village official: straight to their village
            return redirect("points:village", code=only[0].code)
    page = paginate(request, villages)
    overview = selectors.village_overview([v.code for v in page], clock.today().year)
    rows = [(v, overview.get(v.code, {"review": 0, "notice": 0})) for v in page]
    return render(
        request,
        "points/home.html",
        {"page": page, "rows": rows, "towns": towns},
    )


@role_required
def my_household(request: HttpRequest) -> HttpResponse:
    """The villager's phone view: balance, stars, history with reasons, pending entries."""
    _opens(request, "live_in")
    household = household_of(request.user)
    if household is None or not allows_at(request.user, "live_in", household.village_id):
        return render(request, "points/my_household.html", {"household": None}, status=404)
    year = clock.today().year
    summary = selectors.household_summary(household, year)
    return render(
        request,
        "points/my_household.html",
        {
            "household": household,
            "village": household.village,
            "summary": summary,
            "history": paginate(request, summary["history"], per_page=20),
            "notices": selectors.notices(household.village_id)[:5],
            "year": year,
        },
    )


@role_required
def request_create(request: HttpRequest) -> HttpResponse:
    _opens(request, "live_in")
    household = household_of(request.user)
    if household is None or not allows_at(request.user, "live_in", household.village_id):
        raise Http404
    version = services.version_in_force(household.village_id, clock.today())
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        village_code=household.village_id,
        version=version,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_entry(
                actor=request.user,
                item=data["item"],
                occurred_on=data["occurred_on"],
                description=data["description"],
                files=[data["evidence"]] if data.get("evidence") else [],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent to the village."))
            return redirect("points:my_household")
    return render(
        request,
        "points/request_form.html",
        {"form": form, "household": household},
        status=400 if request.method == "POST" else 200,
    )


# --- a village ---------------------------------------------------------------------------


@role_required
def village(request: HttpRequest, code: str) -> HttpResponse:
    found = _village(request, code)
    return render(
        request,
        "points/village.html",
        {
            "village": found,
            "runs": allows_at(request.user, "run_points", code),
            "version": services.version_in_force(code, clock.today()),
            "overview": selectors.village_overview([code], clock.today().year).get(
                code, {"review": 0, "notice": 0}
            ),
        },
    )


@role_required
def village_settings(request: HttpRequest, code: str) -> HttpResponse:
    found = _village(request, code)
    current = services.settings_for(code)
    form = SettingsForm(
        request.POST or None,
        initial={
            "notice_days": current.notice_days,
            "publish_black_list": current.publish_black_list,
            "settlement_mode": current.settlement_mode,
            "star_bands": ", ".join(str(band) for band in current.star_bands),
            "red_list_size": current.red_list_size,
        },
    )
    if request.method == "POST":
        if not allows_at(request.user, "run_points", code):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.update_settings(actor=request.user, village=found, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("points:village", code=code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "points/settings.html",
        {"village": found, "form": form, "runs": allows_at(request.user, "run_points", code)},
        status=status,
    )


# --- rules -------------------------------------------------------------------------------


def _draft_choices(village: Division) -> Any:
    above = [village.code[:length] for length in (4, 6, 9)]
    return (
        RuleVersion.objects.filter(
            Q(rule_set__division=village, rule_set__is_template=False)
            | Q(
                rule_set__is_template=True,
                rule_set__division_id__in=above,
                state=VersionState.PUBLISHED,
            )
        )
        .select_related("rule_set")
        .order_by("rule_set__is_template", "rule_set_id", "-number")
    )


@role_required
def rules(request: HttpRequest, code: str) -> HttpResponse:
    found = _village(request, code)
    versions = (
        RuleVersion.objects.filter(rule_set__division=found, rule_set__is_template=False)
        .select_related("based_on", "based_on__rule_set")
        .order_by("-number")
    )
    form = DraftForm(request.POST or None, choices=_draft_choices(found))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.draft_version(
                actor=request.user, village=found, based_on=form.cleaned_data["based_on"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("points:version_detail", pk=version.pk)
    status = 400 if request.method == "POST" else 200
    in_force = services.version_in_force(code, clock.today())
    return render(
        request,
        "points/rules.html",
        {
            "village": found,
            "versions": versions,
            "in_force": in_force,
            "items": in_force.items.all() if in_force else [],
            "form": form,
            "runs": allows_at(request.user, "run_points", code),
        },
        status=status,
    )


def _visible_versions(request: HttpRequest) -> Any:
    """Village versions in the official's area, and templates published above or within it."""
    mine = Q(
        rule_set__in=RuleSet.objects.filter(is_template=False).filter(
            division__in=places(request.user, "read_village").filter(level=Level.VILLAGE)
        )
    )
    templates = Q(rule_set__is_template=True)
    return (
        RuleVersion.objects.restrict(request.user, "view")
        .filter(mine | templates)
        .select_related("rule_set", "rule_set__division")
    )


def _may_edit(user: Any, version: RuleVersion) -> bool:
    """Who may change a draft: the town or county that publishes a template, the officials
    who run the village for its own rules (the same test as the services make)."""
    code = version.rule_set.division_id
    if version.rule_set.is_template:
        return allows_at(user, "publish_templates", code)
    return allows_at(user, "run_points", code)


@role_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _opens(request, "read_village")
    version = get_object_or_404(_visible_versions(request), pk=pk)
    item_form = ItemForm(request.POST if request.POST.get("form") == "item" else None)
    adopt_form = AdoptForm(request.POST if request.POST.get("form") == "adopt" else None)
    if request.method == "POST":
        action = request.POST.get("form")
        try:
            if action == "item" and item_form.is_valid():
                services.add_item(actor=request.user, version=version, **item_form.cleaned_data)
                messages.success(request, _("Rule added."))
                return redirect("points:version_detail", pk=pk)
            if action == "remove":
                found = get_object_or_404(
                    RuleItem, pk=pk_or_none(request.POST.get("item")), version=version
                )
                services.remove_item(actor=request.user, item=found)
                return redirect("points:version_detail", pk=pk)
            if action == "adopt" and adopt_form.is_valid():
                services.adopt_version(
                    actor=request.user, version=version, **adopt_form.cleaned_data
                )
                messages.success(request, _("The version is adopted."))
                return redirect("points:version_detail", pk=pk)
            if action == "publish":
                services.publish_template(actor=request.user, version=version)
                messages.success(request, _("The template is published."))
                return redirect("points:version_detail", pk=pk)
        except ValidationError as exc:
            target = adopt_form if action == "adopt" else item_form
            if action in ("remove", "publish"):
                messages.error(request, " ".join(exc.messages))
                return redirect("points:version_detail", pk=pk)
            apply_errors(target, exc)
    return render(
        request,
        "points/version_detail.html",
        {
            "version": version,
            "items": version.items.all(),
            "item_form": item_form,
            "adopt_form": adopt_form,
            "categories": Category.choices,
            "can_edit": version.is_draft and _may_edit(request.user, version),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required
def template_list(request: HttpRequest) -> HttpResponse:
    _opens(request, "read_village")
    versions = _visible_versions(request).filter(rule_set__is_template=True).order_by("-updated_at")
    divisions = list(
        Division.objects.filter(
            code__in=places(request.user, "publish_templates").values("code"),
            level__in=[Level.COUNTY, Level.TOWN],
        ).order_by("code")[:200]
    )
    form = TemplateForm(request.POST or None, divisions=divisions)
    if request.method == "POST" and form.is_valid():
        division = get_object_or_404(Division, code=form.cleaned_data["division"])
        try:
            version = services.create_template(
                actor=request.user, division=division, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("points:version_detail", pk=version.pk)
    return render(
        request,
        "points/template_list.html",
        {"page": paginate(request, versions), "form": form if divisions else None},
        status=400 if request.method == "POST" else 200,
    )


# --- entries -----------------------------------------------------------------------------


def _entries(request: HttpRequest, village: Division) -> Any:
    entries = Entry.objects.filter(village=village).for_list()
    state = request.GET.get("state", "")
    if state in EntryState.values:
        entries = entries.filter(state=state)
    category = request.GET.get("category", "")
    if category in Category.values:
        entries = entries.filter(item__category=category)
    entries = search(
        entries,
        request.GET.get("q"),
        ["household__number", "household__head__name", "description", "item__title"],
    )
    for name, lookup in (("from", "occurred_on__gte"), ("to", "occurred_on__lte")):
        value = parse_date_or_none(request.GET.get(name, ""))
        if value:
            entries = entries.filter(**{lookup: value})
    return entries


def parse_date_or_none(text: str) -> dt.date | None:
    """A YYYY-MM-DD filter value; anything else is ignored."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


#: The entries' export: each column's header beside its value, declared once.
ENTRY_COLUMNS = [
    (gettext_noop("No."), lambda e: e.pk),
    (gettext_noop("Date"), lambda e: e.occurred_on),
    (gettext_noop("Household no."), lambda e: e.household.number),
    (gettext_noop("Head"), lambda e: e.household.head_name),
    (gettext_noop("Rule"), lambda e: f"{e.item.code} {e.item.title}"),
    (gettext_noop("Point value"), lambda e: e.points),
    (gettext_noop("Grounds"), lambda e: e.description),
    (gettext_noop("State"), lambda e: e.get_state_display()),
    (gettext_noop("Source"), lambda e: e.get_source_display()),
]


@role_required
def entry_list(request: HttpRequest, code: str) -> HttpResponse:
    found = _village(request, code)
    entries = _entries(request, found)
    if wants_export(request):
        return xlsx_response(
            filename="points-entries",
            title=_("Points entries"),
            columns=[(_(header), value) for header, value in ENTRY_COLUMNS],
            queryset=entries,
        )
    page = paginate(request, entries)
    return render(
        request,
        template_for(request, "points/entry_list.html", "points/partials/entry_rows.html"),
        {
            "village": found,
            "page": page,
            "states": EntryState.choices,
            "categories": Category.choices,
            "runs": allows_at(request.user, "run_points", code),
        },
    )


@role_required
def review_queue(request: HttpRequest, code: str) -> HttpResponse:
    found = _village(request, code)
    entries = (
        Entry.objects.filter(village=found)
        .awaiting_review()
        .for_list()
        .order_by("state", "occurred_on", "id")
    )
    return render(
        request,
        "points/review_queue.html",
        {"village": found, "page": paginate(request, entries)},
    )


@role_required
def entry_create(request: HttpRequest, code: str) -> HttpResponse:
    _opens(request, "run_points")
    found = _village(request, code)
    if not allows_at(request.user, "run_points", code):
        raise PermissionDenied
    version = services.version_in_force(code, clock.today())
    form = EntryForm(
        request.POST or None, request.FILES or None, village_code=code, version=version
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.record_entry(
                actor=request.user,
                household=data["household"],
                item=data["item"],
                occurred_on=data["occurred_on"],
                description=data["description"],
                files=[data["evidence"]] if data.get("evidence") else [],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Entry recorded; it awaits initial assessment."))
            return redirect("points:entry_detail", pk=entry.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "points/entry_form.html",
        {"village": found, "form": form, "version": version},
        status=status,
    )


@role_required
def entry_bulk(request: HttpRequest, code: str) -> HttpResponse:
    _opens(request, "run_points")
    found = _village(request, code)
    if not allows_at(request.user, "run_points", code):
        raise PermissionDenied
    version = services.version_in_force(code, clock.today())
    form = BulkForm(request.POST or None, village_code=code, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            entries = services.record_bulk(actor=request.user, village=found, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(count)s entries recorded.") % {"count": len(entries)})
            return redirect("points:entry_list", code=code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "points/entry_bulk.html",
        {"village": found, "form": form, "version": version},
        status=status,
    )


def _entry_for(request: HttpRequest, pk: int) -> Entry:
    """Officials: any entry of their area. Villagers: their household's, or one in notice."""
    return get_or_404(
        request.user,
        "view",
        Entry.objects.select_related("household", "household__head", "item", "version"),
        pk=pk,
    )


@role_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_for(request, pk)
    runs = allows_at(request.user, "run_points", entry.village_id)
    form = DecisionForm(request.POST or None)
    reason_form = ReasonForm(request.POST if request.POST.get("action") == "reverse" else None)
    if request.method == "POST":
        if not runs:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action in ("assess", "assess_reject") and form.is_valid():
                services.assess_entry(
                    actor=request.user,
                    entry=entry,
                    approve=action == "assess",
                    note=form.cleaned_data["note"],
                )
            elif action in ("approve", "reject") and form.is_valid():
                services.review_entry(
                    actor=request.user,
                    entry=entry,
                    approve=action == "approve",
                    note=form.cleaned_data["note"],
                )
            elif action == "reverse" and reason_form.is_valid():
                correction = services.reverse_entry(
                    actor=request.user, entry=entry, reason=reason_form.cleaned_data["reason"]
                )
                messages.success(request, _("Correction recorded; it awaits committee review."))
                return redirect("points:entry_detail", pk=correction.pk)
            else:
                return HttpResponse(_("Unknown action."), status=400)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect("points:entry_detail", pk=entry.pk)
    own = household_of(request.user)
    return render(
        request,
        "points/entry_detail.html",
        {
            "entry": entry,
            "runs": runs,
            "official": allows_at(request.user, "read_village", entry.village_id),
            "transitions": entry.transitions.select_related("actor"),
            "objections": entry.objections.select_related("raised_by", "answered_by"),
            "evidence": entry.evidence.all() if _sees_evidence(request, entry) else [],
            "can_object": entry.state == EntryState.IN_NOTICE
            and allows_at(request.user, "live_in", entry.village_id),
            "own": own is not None and own.pk == entry.household_id,
            "form": form,
            "reason_form": reason_form,
            "ledger_row": LedgerEntry.objects.filter(entry=entry).first(),
        },
    )


def _sees_evidence(request: HttpRequest, entry: Entry) -> bool:
    """Evidence (photos of a yard, a certificate) is for the officials and the household
    itself: the public notice publishes the entry, not the household's files."""
    if allows_at(request.user, "read_village", entry.village_id):
        return True
    own = household_of(request.user)
    return own is not None and own.pk == entry.household_id


@role_required
def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponseBase:
    entry = _entry_for(request, pk)
    if not _sees_evidence(request, entry):
        raise Http404
    evidence = get_object_or_404(entry.evidence, pk=evidence_pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download(
        handle,
        filename=evidence.name,
        content_type=evidence.content_type,
        inline=True,  # photos are shown on the entry's page; a PDF is downloaded
    )


# --- public notice and objections ---------------------------------------------------------


@role_required
def notice(request: HttpRequest, code: str, error: str = "") -> HttpResponse:
    found = _public_village(request, code)
    return render(
        request,
        "points/notice.html",
        {
            "village": found,
            "entries": selectors.notices(code),
            "villager": allows_at(request.user, "live_in", code),
            "error": error,
        },
        status=400 if error else 200,
    )


def committee_name(village: Division) -> str:
    """The body that signs the notice: a division named "…村民委员会" already is one."""
    if village.name.endswith("委员会"):
        return village.name
    return _("%(village)s villagers' committee") % {"village": village.name}


@role_required
def notice_docx(request: HttpRequest, code: str) -> HttpResponseBase:
    found = _public_village(request, code)
    rows = [
        NoticeRow(
            household=entry.household.number,
            head=entry.household.head_name,
            rule=f"{entry.item.code} {entry.item.title}",
            points=entry.points,
            reason=entry.description,
            ends=timezone.localtime(entry.notice_ends_at).strftime("%Y-%m-%d %H:%M")
            if entry.notice_ends_at
            else "",
        )
        for entry in selectors.notices(code)
    ]
    try:
        data = render_notice_docx(
            village_code=found.code,
            village=found.name,
            rows=rows,
            issuer=committee_name(found),
            date=clock.today().strftime("%Y-%m-%d"),
        )
    except PersonalDataInNotice as error:
        return notice(request, code, error=" ".join(error.messages))
    return _download(data, f"points-notice-{code}.docx", DOCX)


@role_required
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    _opens(request, "live_in")
    entry = _entry_for(request, pk)
    if not allows_at(request.user, "live_in", entry.village_id):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = _("Why you object")
    if request.method == "POST" and form.is_valid():
        try:
            services.object_to_entry(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Your objection is on record; the village committee will review it.")
            )
            return redirect("points:notice", code=entry.village_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "points/objection_form.html", {"entry": entry, "form": form}, status=status
    )


# --- ledger ------------------------------------------------------------------------------


LEDGER_COLUMNS = [
    (gettext_noop("No."), lambda r: r.sequence),
    (gettext_noop("Date"), lambda r: r.occurred_on),
    (gettext_noop("Household no."), lambda r: r.household.number),
    (gettext_noop("Head"), lambda r: r.household.head_name),
    (gettext_noop("Kind"), lambda r: r.get_kind_display()),
    (gettext_noop("Point value"), lambda r: r.points),
    (gettext_noop("Balance"), lambda r: r.balance_after),
    (gettext_noop("Grounds"), lambda r: r.reason),
    (gettext_noop("Hash"), lambda r: r.hash),
]


@role_required
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    found = _village(request, code)
    rows = (
        LedgerEntry.objects.filter(village=found)
        .select_related("household", "household__head")
        .defer("household__head__id_number", "household__head__phone")
        .order_by("-sequence")
    )
    rows = search(rows, request.GET.get("q"), ["household__number", "household__head__name"])
    if wants_export(request):
        return xlsx_response(
            filename="points-ledger",
            title=_("Points ledger"),
            columns=[(_(header), value) for header, value in LEDGER_COLUMNS],
            queryset=rows.order_by("sequence"),
        )
    form = SettleForm(request.POST or None, initial={"year": clock.today().year - 1})
    if request.method == "POST":
        if not allows_at(request.user, "run_points", code):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.settle_year(
                    actor=request.user, village=found, year=form.cleaned_data["year"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The year is settled."))
            return redirect("points:ledger", code=code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "points/ledger.html",
        {
            "village": found,
            "page": paginate(request, rows),
            "form": form,
            "runs": allows_at(request.user, "run_points", code),
            "settings": services.settings_for(code),
        },
        status=status,
    )


# --- shop --------------------------------------------------------------------------------


@role_required
def shop(request: HttpRequest, code: str) -> HttpResponse:
    found = _public_village(request, code)
    runs = allows_at(request.user, "run_points", code)
    own = household_of(request.user) if allows_at(request.user, "live_in", code) else None
    if own is not None and own.village_id != code:
        own = None
    form_name = request.POST.get("form", "")
    redeem_form = RedeemForm(
        request.POST if form_name == "redeem" else None,
        village_code=code,
        own=None if runs else own,
    )
    goods_form = GoodsForm(request.POST if form_name == "goods" else None)
    restock_form = RestockForm(request.POST if form_name == "restock" else None, village_code=code)
    if request.method == "POST":
        if not (runs or (own is not None and form_name == "redeem")):
            raise PermissionDenied
        try:
            if form_name == "redeem" and redeem_form.is_valid():
                data = redeem_form.cleaned_data
                household = data.get("household") or own
                services.redeem(
                    actor=request.user,
                    household=household,
                    goods=data["goods"],
                    quantity=data["quantity"],
                    key=data["key"],
                )
                messages.success(
                    request,
                    _("%(goods)s × %(quantity)s redeemed.")
                    % {"goods": data["goods"].name, "quantity": data["quantity"]},
                )
                return redirect("points:shop", code=code)
            if form_name == "goods" and goods_form.is_valid():
                services.add_goods(actor=request.user, village=found, **goods_form.cleaned_data)
                messages.success(request, _("Goods added."))
                return redirect("points:shop", code=code)
            if form_name == "shelf":
                found_goods = get_object_or_404(
                    Goods, village=found, pk=pk_or_none(request.POST.get("goods"))
                )
                services.set_on_sale(
                    actor=request.user, goods=found_goods, on_sale=not found_goods.is_active
                )
                return redirect("points:shop", code=code)
            if form_name == "restock" and restock_form.is_valid():
                services.restock(actor=request.user, **restock_form.cleaned_data)
                messages.success(request, _("Stock added."))
                return redirect("points:shop", code=code)
        except ValidationError as exc:
            target = {"goods": goods_form, "restock": restock_form}.get(form_name, redeem_form)
            apply_errors(target, exc)
    goods = list(Goods.objects.filter(village=found).order_by("-is_active", "price", "name"))
    for item in goods:  # each goods' redeem button is a form of its own, with its own key
        item.redeem_key = one_time_key()
    balance = None
    if own is not None:
        balance = selectors.household_summary(own, clock.today().year)["balance"]
    return render(
        request,
        "points/shop.html",
        {
            "village": found,
            "goods": goods,
            "runs": runs,
            "own": own,
            "balance": balance,
            "redeem_form": redeem_form,
            "goods_form": goods_form,
            "restock_form": restock_form,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- rankings ----------------------------------------------------------------------------


def _xlsx_download(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    return _download(render_xlsx(title=title, headers=headers, rows=rows), filename, XLSX)


@role_required
def rankings(request: HttpRequest, code: str) -> HttpResponse:
    """Household ranking for officials; the red list (and black list, when the village
    publishes it) for its villagers."""
    found = _public_village(request, code)
    year = _year(request)
    official = allows_at(request.user, "read_village", code)
    ranking = selectors.household_ranking(code, year)
    village_settings = services.settings_for(code)
    red = selectors.red_list(ranking, village_settings.red_list_size)
    black = selectors.black_list(ranking) if village_settings.publish_black_list else []
    if wants_export(request) and official:
        return _xlsx_download(
            "points-ranking.xlsx",
            _("Household ranking"),
            [
                _("Rank"),
                _("Household no."),
                _("Head"),
                _("Points of the year"),
                _("Stars"),
                _("Balance"),
            ],
            (
                [r.rank, r.household.number, r.household.head_name, r.points, r.stars, r.balance]
                for r in ranking
            ),
        )
    return render(
        request,
        "points/rankings.html",
        {
            "village": found,
            "year": year,
            "ranking": ranking if official else [],
            "official": official,
            "red": red,
            "black": black,
        },
    )


@role_required
def town_rankings(request: HttpRequest, code: str) -> HttpResponse:
    _opens(request, "read_village")
    town = get_object_or_404(places(request.user, "read_village"), code=code, level=Level.TOWN)
    year = _year(request)
    rows = selectors.village_ranking(code, year)
    if wants_export(request):
        return _xlsx_download(
            "points-village-ranking.xlsx",
            _("Village ranking"),
            [
                _("Rank"),
                _("Village"),
                _("Household count"),
                _("Taking part"),
                _("Participation rate (%)"),
                _("Average points"),
            ],
            (
                [
                    r.rank,
                    r.village.name,
                    r.households,
                    r.participating,
                    round(r.participation * 100, 1),
                    round(r.average, 1),
                ]
                for r in rows
            ),
        )
    return render(request, "points/town_rankings.html", {"town": town, "year": year, "rows": rows})
