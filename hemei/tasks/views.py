"""Task pages: list, detail with its timeline, create and edit, fan-out, tree, my work, the
county overview, leaders' contact points and the light policy. Thin: scope, form, service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemei.accounts.policy import Who, admin_required, allowed, allows_at, is_admin
from hemei.accounts.roles import ADMIN_ROLES
from hemei.core.forms import apply_errors
from hemei.core.htmx import is_htmx, template_for
from hemei.core.lists import paginate, wants_export, xlsx_response
from hemei.divisions.choices import Level
from hemei.divisions.models import Division
from hemei.meetings.models import Decision, Meeting

from . import links, selectors, services
from .choices import Light
from .forms import (
    FanOutForm,
    LeaderLinkForm,
    LightPolicyForm,
    MilestoneFormSet,
    TaskFilterForm,
    TaskForm,
    milestone_rows,
    milestones_of,
)
from .models import LeaderLink, LightPolicy, Task

#: Sections other apps add to the task page, loaded by HTMX when their URL exists.
SECTIONS = ("progress:task_section", "supervision:task_section")


def _export(tasks: Any) -> HttpResponse:
    return xlsx_response(
        filename="tasks",
        title=_("Tasks"),
        columns=[
            (_("Number"), lambda t: t.pk),
            (_("Title"), lambda t: t.title),
            (_("Division"), lambda t: t.division.name),
            (_("Theme"), lambda t: t.get_theme_display()),
            (_("Programs"), lambda t: "、".join(p.name for p in t.programs.all())),
            (_("Lead leader"), lambda t: str(t.lead_leader or "")),
            (_("Lead unit"), lambda t: t.lead_unit.name if t.lead_unit else ""),
            (_("Co-operating units"), lambda t: "、".join(u.name for u in t.co_units.all())),
            (_("Responsible person"), lambda t: str(t.responsible or "")),
            (_("Start"), lambda t: t.start_on),
            (_("Deadline"), lambda t: t.due_on),
            (_("Progress (%)"), lambda t: float(t.progress)),
            (_("State"), lambda t: t.get_state_display()),
            (_("Light"), lambda t: t.get_light_display()),
        ],
        queryset=tasks,
    )


@allowed(Task)
def task_list(request: HttpRequest) -> HttpResponse:
    form = TaskFilterForm(request.GET, user=request.user)
    filters = form.filters()
    tasks = selectors.filter_tasks(request.user, filters)
    if wants_export(request):
        return _export(tasks.for_list())
    page = paginate(request, tasks.for_rows(), capped=True, searched=bool(filters.q))
    page.object_list = selectors.with_program_names(page.object_list)
    return render(
        request,
        template_for(request, "tasks/task_list.html", "tasks/partials/task_rows.html"),
        {
            "form": form,
            "page": page,
            "may_create": selectors.may_manage_somewhere(request.user),
            "town_options": is_htmx(request) and "county" in form.fields,
        },
    )


def _section_urls(task: Task) -> list[str]:
    urls = []
    for name in SECTIONS:
        try:
            urls.append(reverse(name, args=[task.pk]))
        except NoReverseMatch:
            continue
    return urls


@allowed(Task)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = services.get_visible(request.user, pk)
    task = (
        Task.objects.select_related(
            "division", "lead_leader", "lead_unit", "responsible", "meeting", "decision"
        )
        .prefetch_related("programs", "co_units", "milestones")
        .get(pk=task.pk)
    )
    meeting = None
    if task.meeting_id:
        meeting = Meeting.objects.visible_to(request.user).filter(pk=task.meeting_id).first()
    events = list(selectors.timeline(task))
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "parent": selectors.visible_or_none(request.user, task.parent_id),
            "meeting": meeting,
            "decision": task.decision if meeting else None,
            "children": selectors.children_of(request.user, task),
            "events": [(event, selectors.describe(event)) for event in events],
            "sections": _section_urls(task),
            "may_manage": allows_at(request.user, "manage_tasks", task.division_id),
            "may_fan_out": task.division.level < Level.VILLAGE,
        },
    )


def _check_manage(user: Any, code: str) -> None:
    if not allows_at(user, "manage_tasks", code):
        raise PermissionDenied(_("You may not manage tasks here."))


def _initial_for(request: HttpRequest, parent: Task | None) -> dict[str, Any]:
    """Start a new task from its parent or from a meeting's decision (?decision=pk)."""
    initial: dict[str, Any] = {}
    divisions = selectors.manageable_divisions(request.user).order_by("code")
    first = divisions.first()
    if first is not None:
        initial["division"] = first.code
    if parent is not None:
        initial.update(
            division=parent.division_id,
            theme=parent.theme,
            lead_leader=parent.lead_leader_id,
            lead_unit=parent.lead_unit_id,
            start_on=parent.start_on,
            due_on=parent.due_on,
            priority=parent.priority,
            meeting=parent.meeting_id,
            decision=parent.decision_id,
            programs=list(parent.programs.values_list("pk", flat=True)),
        )
    decision_id = request.GET.get("decision", "")
    if decision_id.isdigit():
        decision = (
            Decision.objects.filter(
                meeting__in=Meeting.objects.visible_to(request.user), pk=int(decision_id)
            )
            .select_related("meeting")
            .first()
        )
        if decision is not None:
            first_sentence = decision.text.split("。")[0].strip()
            initial.update(
                title=first_sentence[:300],
                description=decision.text,
                theme=decision.theme or initial.get("theme"),
                meeting=decision.meeting_id,
                decision=decision.pk,
            )
    return initial


def _create(request: HttpRequest, parent: Task | None) -> HttpResponse:
    if not selectors.may_manage_somewhere(request.user):
        raise PermissionDenied(_("You may not manage tasks."))
    if parent is not None:
        _check_manage(request.user, parent.division_id)
    data = request.POST if request.method == "POST" else None
    form = TaskForm(data, user=request.user, parent=parent, initial=_initial_for(request, parent))
    milestones = MilestoneFormSet(data, prefix="milestones")
    if request.method == "POST" and form.is_valid() and milestones.is_valid():
        division = form.cleaned_data["division"]
        try:
            programs = list(form.cleaned_data["programs"]) + links.programs_named(
                actor=request.user, names=form.program_names(), division=division
            )
            task = services.create_task(
                actor=request.user,
                division=division,
                parent=parent,
                programs=programs,
                co_units=form.cleaned_data["co_units"],
                milestones=milestones_of(milestones),
                **form.task_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Task created."))
            return redirect("tasks:task_detail", pk=task.pk)
    return render(
        request,
        "tasks/task_form.html",
        {
            "form": form,
            "milestones": milestones,
            "parent": parent,
            "task": None,
            "division_choices": selectors.division_suggestions(request.user, parent),
        },
        status=400 if request.method == "POST" else 200,
    )


@allowed(Task, "change")
def task_create(request: HttpRequest) -> HttpResponse:
    return _create(request, None)


@allowed(Task, "change")
def subtask_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _create(request, services.get_visible(request.user, pk))


@allowed(Task, "change")
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = services.get_visible(request.user, pk)
    _check_manage(request.user, task.division_id)
    initial = {
        **{name: getattr(task, name) for name in ("title", "description", "theme")},
        **{name: getattr(task, name) for name in ("start_on", "due_on", "priority", "is_key")},
        "weight": task.weight,
        "division": task.division_id,
        "lead_leader": task.lead_leader_id,
        "lead_unit": task.lead_unit_id,
        "responsible": task.responsible_id,
        "meeting": task.meeting_id,
        "decision": task.decision_id,
        "programs": list(task.programs.values_list("pk", flat=True)),
        "co_units": list(task.co_units.values_list("pk", flat=True)),
    }
    form = TaskForm(request.POST or None, user=request.user, initial=initial)
    form.fields["division"].disabled = True
    handed_down = services.handed_down(request.user, task)
    if handed_down:
        # A part handed down from above: the level above sets its terms (the service refuses
        # changes to them); its deadline moves only by an extension request.
        for name in ("meeting", "decision"):  # the county's meeting is not the town's page
            del form.fields[name]
        fixed = [n for n in (*services.HANDED_DOWN, "co_units", "programs") if n in form.fields]
        form.fix([*fixed, "new_programs"], _("Set by the level above."))
        form.fields["due_on"].help_text = _(
            "Set by the level above; to change it, request an extension on the task's page."
        )
    # Reached milestones are history, and those set above are not the town's to change:
    # listed read-only and passed back unchanged.
    reached = [m for m in task.milestones.all() if m.reached_on is not None or handed_down]
    open_milestones = [
        {"id": m.pk, "name": m.name, "due_on": m.due_on, "weight": m.weight}
        for m in task.milestones.all()
        if m not in reached
    ]
    milestones = MilestoneFormSet(
        request.POST or None, prefix="milestones", initial=open_milestones
    )
    if request.method == "POST" and form.is_valid() and milestones.is_valid():
        try:
            programs = list(form.cleaned_data["programs"]) + links.programs_named(
                actor=request.user, names=form.program_names(), division=task.division
            )
            services.update_task(
                actor=request.user,
                task=task,
                programs=programs,
                co_units=form.cleaned_data["co_units"],
                milestones=[(m.pk, m.name, m.due_on, m.weight) for m in reached]
                + milestone_rows(milestones),
                **form.task_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("tasks:task_detail", pk=task.pk)
    return render(
        request,
        "tasks/task_form.html",
        {"form": form, "milestones": milestones, "reached": reached, "task": task, "parent": None},
        status=400 if request.method == "POST" else 200,
    )


@allowed(Task, "change")
def task_fan_out(request: HttpRequest, pk: int) -> HttpResponse:
    task = services.get_visible(request.user, pk)
    _check_manage(request.user, task.division_id)
    if task.division.level >= Level.VILLAGE:
        raise Http404(_("A village task has nothing below it to fan out to."))
    default = Level.TOWN if task.division.level < Level.TOWN else Level.VILLAGE
    raw = request.POST.get("level") or request.GET.get("level") or ""
    level = int(raw) if raw in {str(Level.TOWN), str(Level.VILLAGE)} else default
    if level <= task.division.level:
        level = default
    form = FanOutForm(request.POST or None, task=task, level=level, initial={"level": level})
    if request.method == "POST" and form.is_valid():
        try:
            parts = services.fan_out(
                actor=request.user,
                task=task,
                level=form.cleaned_data["level"],
                codes=form.chosen_codes(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if parts:
                messages.success(request, _("%(count)d parts created.") % {"count": len(parts)})
            else:
                messages.info(request, _("Every chosen division already has its part."))
            return redirect("tasks:task_tree", pk=task.pk)
    return render(
        request,
        "tasks/task_fan_out.html",
        {"task": task, "form": form, "level": level},
        status=400 if request.method == "POST" else 200,
    )


@allowed(Task)
def task_tree(request: HttpRequest, pk: int) -> HttpResponse:
    task = services.get_visible(request.user, pk)
    task = Task.objects.select_related("division", "lead_unit", "responsible").get(pk=task.pk)
    return render(
        request,
        "tasks/task_tree.html",
        {"task": task, "nodes": selectors.subtree(request.user, task)},
    )


#: rows a section of "My work" shows before it sends on to the task list (a phone page)
MY_WORK_SHOWN = 20


@allowed(Task)
def my_work(request: HttpRequest) -> HttpResponse:
    work = selectors.my_work(request.user)
    sections = []
    for key, title in (
        ("division", _("My division's tasks")),
        ("responsible", _("Tasks I am responsible for")),
        ("led", _("Tasks I lead")),
        ("linked", _("My contact points")),
        ("unit", _("My unit's tasks")),
    ):
        tasks = getattr(work, key)
        if tasks is None:
            continue
        if key == "led":
            # A led task's parts (one per town) are led by the same leader: show the task
            # once, its page shows which parts lag.
            tasks = tasks.exclude(parent__lead_leader=request.user)
        rows = selectors.with_program_names(
            selectors.needs_action(list(tasks[: MY_WORK_SHOWN + 1]))
        )
        sections.append(
            {
                "key": key,
                "title": title,
                "tasks": rows[:MY_WORK_SHOWN],
                "more": len(rows) > MY_WORK_SHOWN,
            }
        )
    return render(request, "tasks/my_work.html", {"work": work, "sections": sections})


@allowed(Task)
def overview(request: HttpRequest) -> HttpResponse:
    county = str(request.GET.get("county", "")).strip()
    county = county if county.isdigit() and len(county) == 6 else ""
    by_county = not county and selectors.sees_several_counties(request.user)
    if by_county:
        rows = selectors.overview_by_county(request.user)
    else:
        rows = selectors.overview_by_town(request.user, county)
    totals = {
        name: sum(getattr(row, name) for row in rows)
        for name in ("total", "green", "yellow", "red", "done")
    }
    return render(
        request,
        "tasks/overview.html",
        {"rows": rows, "totals": totals, "by_county": by_county, "county": county},
    )


@allowed(LeaderLink)
def leader_list(request: HttpRequest) -> HttpResponse:
    leaders = selectors.leaders_for(request.user)
    return render(request, "tasks/leader_list.html", {"leaders": leaders})


@allowed(LeaderLink)
def leader_detail(request: HttpRequest, user_pk: int) -> HttpResponse:
    leader = get_object_or_404(selectors.leaders_for(request.user), pk=user_pk)
    may_edit = is_admin(request.user)
    form = LeaderLinkForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Only administrators may change contact points."))
        if form.is_valid():
            try:
                links.create_leader_link(
                    actor=request.user,
                    leader=leader,
                    kind=form.cleaned_data["kind"],
                    division=form.cleaned_data["division"],
                    task=form.cleaned_data["task"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Contact point added."))
                return redirect("tasks:leader_detail", user_pk=leader.pk)
    summaries, answered = selectors.leader_summary(request.user, leader)
    page = paginate(request, answered)
    page.object_list = selectors.with_program_names(page.object_list)
    return render(
        request,
        "tasks/leader_detail.html",
        {
            "leader": leader,
            "summaries": summaries,
            "page": page,
            "form": form if may_edit else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@admin_required
@require_POST
def leader_link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(LeaderLink.objects.visible_to(request.user), pk=pk)
    links.delete_leader_link(actor=request.user, link=link)
    messages.success(request, _("Contact point removed."))
    return redirect("tasks:leader_detail", user_pk=link.leader_id)


def _policy_division(user: Any) -> Division:
    prefixes = Who(user).prefixes(ADMIN_ROLES)
    if prefixes:
        return Division.objects.get(code=prefixes[0])
    county = Division.objects.current().filter(level=Level.COUNTY).order_by("code").first()
    if county is None:
        raise Http404
    return county


@admin_required
def light_policy(request: HttpRequest) -> HttpResponse:
    division = _policy_division(request.user)
    policy = LightPolicy.objects.filter(division=division).first() or LightPolicy(division=division)
    # The form only validates; the service saves (and recomputes the lights).
    form = LightPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        links.set_light_policy(
            actor=request.user,
            division=division,
            yellow_days=form.cleaned_data["yellow_days"],
            lag_points=form.cleaned_data["lag_points"],
        )
        messages.success(request, _("Saved; the lights have been recomputed."))
        return redirect("tasks:light_policy")
    return render(
        request,
        "tasks/light_policy.html",
        {"form": form, "division": division, "lights": Light},
        status=400 if request.method == "POST" else 200,
    )
