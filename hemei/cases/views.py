from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemei.accounts.policy import allowed, allows, allows_at, get_or_404, places, restrict
from hemei.catalogue.choices import Level
from hemei.catalogue.selectors import version_in_force
from hemei.core import clock
from hemei.core.downloads import download
from hemei.core.forms import apply_errors
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.divisions.models import Division
from hemei.documents import services as documents
from hemei.households.selectors import household_of
from hemei.notices.models import Notice
from hemei.procedures.models import DecisionRecord
from hemei.supervision.models import Card, SupervisionOrder

from . import hooks, selectors, services
from .choices import ActAction, CaseState
from .forms import ActForm, StartForm
from .models import Case, CaseFile

LIGHTS = (("green", "green"), ("yellow", "yellow"), ("red", "red"), ("overdue", "overdue"))


def _case(request: HttpRequest, pk: int) -> Case:
    return get_or_404(
        request.user,
        "view",
        Case.objects.select_related("village", "item", "step", "duty", "household", "decision"),
        pk=pk,
    )


@allowed(Case)
def case_list(request: HttpRequest) -> HttpResponse:
    if not places(request.user, "read_village").exists():
        # a villager's cases are on their own page (cases:mine)
        raise PermissionDenied(_("Your role does not open this page."))
    q = (request.GET.get("q") or "").strip()[:100]
    state = request.GET.get("state") or ""
    light = request.GET.get("light") or ""
    area = selectors.division_code(request.GET.get("area", ""))
    rows = selectors.filter_cases(
        selectors.cases(request.user),
        q=q,
        state=state,
        village=area,
        light=light,
        today=clock.today(),
    )
    if wants_export(request):
        return xlsx_response(
            filename="cases",
            title=_("Cases"),
            columns=selectors.export_columns(),
            queryset=rows,
        )
    may_start = places(request.user, "start_cases").exists()
    return render(
        request,
        "cases/case_list.html",
        {
            "page": paginate(request, rows),
            "q": q,
            "state": state,
            "light": light,
            "area": area,
            "states": CaseState.choices,
            "lights": LIGHTS,
            "today": clock.today(),
            "may_start": may_start,
        },
    )


@login_required
def case_mine(request: HttpRequest) -> HttpResponse:
    """A villager's own cases, on a phone."""
    if household_of(request.user) is None:
        raise PermissionDenied(_("Only a villager with a household has cases of their own."))
    rows = selectors.of_household(request.user)
    return render(
        request,
        "cases/case_mine.html",
        {"page": paginate(request, rows), "today": clock.today()},
    )


def _start_village(request: HttpRequest) -> Division:
    village = selectors.start_village(
        request.user, request.GET.get("village") or request.POST.get("village") or ""
    )
    if village is None:
        raise Http404
    return village


@login_required
def case_start(request: HttpRequest) -> HttpResponse:
    official = places(request.user, "start_cases").exists()
    if not official and household_of(request.user) is None:
        raise PermissionDenied(_("You may not start cases."))
    village = _start_village(request)
    version = version_in_force(village.code, clock.today())
    items = [] if version is None else [i for i in version.items.order_by("code") if i.has_flow]
    form = StartForm(
        request.POST or None,
        request.FILES or None,
        items=items,
        official=official,
        initial={"item": request.GET.get("item", "")},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.start_case(
                    actor=request.user,
                    village=village,
                    item_code=data["item"],
                    title=data["title"],
                    household_number=data.get("household") or "",
                    applicant_name=data.get("applicant_name") or "",
                    amount=data.get("amount"),
                    files=data["files"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                messages.success(request, _("Case %(number)s started.") % {"number": case.number})
                return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/case_start.html",
        {"form": form, "village": village, "version": version, "official": official},
        status=status,
    )


def _detail(
    request: HttpRequest, case: Case, *, form: ActForm | None = None, status: int = 200
) -> HttpResponse:
    steps = services.path(case.item, case.amount)
    acts = services.may_act(request.user, case)
    office = case.step is not None and allows_at(
        request.user, "act_on_cases", services.office_of(case.village_id, case.step.level)
    )
    decisions = []
    if acts and case.step and case.step.needs_decision:
        decisions = list(
            DecisionRecord.objects.restrict(request.user, "view")
            .filter(village_id=case.village_id)
            .order_by("-created_at")[:20]
        )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "procedure_url": hooks.detail_url(case),
            **_supervision(request, case),
            "steps": steps,
            "timeline": selectors.timeline(case),
            "files": case.files.all(),
            "acts": acts,
            "office": office and case.is_running,
            "applicant_side": case.is_running and services.is_applicant_side(request.user, case),
            "earlier": [s for s in steps if case.step and s.position < case.step.position],
            "decisions": decisions,
            "decision_ok": services.decision_approved(case.decision),
            "notice_text": services.notice_text_for(case),
            "office_reader": places(request.user, "read_village").exists(),
            # the applicant's household or the village withdraws (services.withdraw)
            "may_withdraw": case.is_running
            and (
                services.is_applicant_side(request.user, case)
                or allows_at(request.user, "act_on_cases", case.village_id)
            ),
            "notices": Notice.objects.of(case)
            .restrict(request.user, "view")
            .order_by("-starts_at"),
            "today": clock.today(),
            "form": form or ActForm(initial={"signed_on": clock.today()}),
        },
        status=status,
    )


def _supervision(request: HttpRequest, case: Case) -> dict[str, object]:
    """What the ladder did about the step in hand (its duty's cards and 督办单), for those
    who may see the duty."""
    if not case.duty_id:
        return {"cards": [], "orders": [], "duty_visible": False}
    return {
        "cards": restrict(request.user, "view", Card.objects.filter(task_id=case.duty_id)).order_by(
            "issued_at"
        ),
        "orders": restrict(
            request.user, "view", SupervisionOrder.objects.filter(task_id=case.duty_id)
        ).order_by("issued_at"),
        "duty_visible": allows(request.user, "view", case.duty),
    }


@allowed(Case)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _case(request, pk))


@require_POST
@allowed(Case)
def case_act(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = ActForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, case, form=form, status=400)
    data = form.cleaned_data
    action = data["action"]
    user = request.user
    try:
        if action == ActAction.PASS:
            services.pass_step(
                actor=user,
                case=case,
                opinion=data["opinion"],
                signer=data["signer"],
                sealed=data["sealed"],
                signed_on=data["signed_on"],
                files=data["files"],
                notice_text=data["notice_text"],
            )
        elif action == ActAction.RETURN:
            services.return_case(
                actor=user, case=case, to_position=data["to_position"] or 0, reason=data["opinion"]
            )
        elif action == ActAction.REFUSE:
            services.refuse(actor=user, case=case, reason=data["opinion"], signer=data["signer"])
        elif action == ActAction.WITHDRAW:
            services.withdraw(actor=user, case=case, reason=data["opinion"])
        elif action == ActAction.PAUSE:
            services.pause(actor=user, case=case, reason=data["opinion"])
        elif action == ActAction.RESUME:
            services.resume(actor=user, case=case)
        elif action == ActAction.EXTEND:
            services.extend(actor=user, case=case, days=data["days"] or 0, reason=data["opinion"])
        elif action == ActAction.FILES:
            services.add_files(actor=user, case=case, files=data["files"])
        elif action == ActAction.DECISION:
            record = (
                DecisionRecord.objects.restrict(user, "view").filter(pk=data["decision"]).first()
                if data["decision"]
                else None
            )
            if record is None:
                raise ValidationError({"decision": _("Choose a decision record of the village.")})
            services.link_decision(actor=user, case=case, record=record)
    except ValidationError as exc:
        apply_errors(form, exc)
        return _detail(request, _case(request, pk), form=form, status=400)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You may not do this."))
        return _detail(request, _case(request, pk), form=form, status=403)
    messages.success(request, _("Done: %(action)s.") % {"action": ActAction(action).label})
    return redirect("cases:detail", pk=case.pk)


@allowed(Case)
def case_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    case = _case(request, pk)
    item = get_or_404(request.user, "view", CaseFile.objects.filter(case=case), pk=file_pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download(handle, filename=item.name, content_type=item.content_type, inline=True)


@allowed(Case)
def case_letter(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The written refusal (不予办理告知书) of a refused case, as a Word document."""
    case = _case(request, pk)
    if case.state != CaseState.REFUSED:
        raise Http404
    record = case.records.filter(outcome="refused").select_related("step").last()
    level = record.step.level if record else Level.VILLAGE
    office = Division.objects.get(code=services.office_of(case.village_id, level))
    issuer = (
        _("%(town)s People's Government") % {"town": office.name}
        if level in (Level.TOWN, Level.COUNTY)
        else _("%(village)s Villagers' Committee") % {"village": office.name}
    )
    data = documents.render(
        "refusal",
        case.village_id,
        {
            "number": case.number,
            "decision": _("not approved"),
            "applicant": case.applicant_name,
            "applied_on": case.created_at.date().isoformat(),
            "matter": f"{case.item.name}：{case.title}",
            "reasons": case.reason,
            "legal_basis": case.item.basis,
            "issuer": issuer,
            "signer": record.signer if record else "",
            "date": (case.closed_on or clock.today()).isoformat(),
        },
    )
    return download(
        io.BytesIO(data),
        filename=f"{case.number}-不予办理告知书.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@allowed(Case)
def case_form(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The case's approval form (办件审批表) with every step taken so far, as Word."""
    from .documents import render_form

    case = _case(request, pk)
    if not places(request.user, "read_village").exists():
        raise PermissionDenied(_("Your role does not open this page."))
    data = render_form(case, _("%(village)s Villagers' Committee") % {"village": case.village.name})
    return download(
        io.BytesIO(data),
        filename=f"{case.number}-办件审批表.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
