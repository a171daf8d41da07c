"""The homestead procedure's hooks into the case engine (``hemei.cases.hooks``).

* entering the joint review (联审) asks the offices, each on its own clock; leaving it stops
  the clocks still running;
* entering the decision (审批) runs the checks again: what is new or changed is a flag;
* a step does not pass while something of its own is open: the joint review without every
  opinion, the decision with an open flag or an office that disagreed, the staking out
  without its visit (four neighbours, photos), construction and acceptance with an
  uncorrected deviation, acceptance without its measured visit;
* passing the decision gives the approval and permit numbers; passing acceptance copies the
  built figures; passing registration enters the parcel in the village's register and, when
  the site moved, opens the hand-back of the old homestead on its own clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from hemei.cases import hooks
from hemei.cases.choices import Outcome
from hemei.tasks import duties
from hemei.tasks.choices import Source

from . import services
from .choices import BuildType, Stage, VisitStage
from .models import Application

JOINT = "homestead.joint_review"
DECISION = "homestead.decision"
STAKING = "homestead.staking"
CONSTRUCTION = "homestead.construction"
COMPLETION = "homestead.completion"
REGISTRATION = "homestead.registration"


def _application(case: Any) -> Application | None:
    return Application.objects.with_case().filter(case=case).first()


def entered(case: Any, step: Any, today: dt.date, actor: Any) -> None:
    application = _application(case)
    if application is None:
        return
    if step.limit_key == JOINT:
        services.start_round(application, today, actor)
    elif step.limit_key == DECISION:
        services.raise_flags(application, Stage.APPROVAL, today)


def _names(rows: Any) -> str:
    return "、".join(str(row) for row in rows)


def before_pass(case: Any, step: Any, actor: Any) -> None:
    application = _application(case)
    if application is None:
        raise ValidationError(_("The homestead application of this case is missing."))
    key = step.limit_key
    if key == JOINT:
        round_ = services.current_round(application)
        waiting = [o for o in application.opinions.filter(round=round_) if not o.is_given]
        if waiting:
            raise ValidationError(
                _("Waiting for the opinions of %(offices)s.")
                % {"offices": _names(o.get_office_display() for o in waiting)}
            )
    elif key == DECISION:
        open_flags = [f for f in application.flags.all() if f.is_open]
        if open_flags:
            raise ValidationError(
                _("Answer the flags first: %(flags)s.")
                % {"flags": _names(f.get_kind_display() for f in open_flags)}
            )
        round_ = services.current_round(application)
        against = [o for o in application.opinions.filter(round=round_) if o.agrees is False]
        if against:
            raise ValidationError(
                _("%(offices)s did not agree: refuse in writing or send the case back.")
                % {"offices": _names(o.get_office_display() for o in against)}
            )
    elif key == STAKING:
        visits = application.visits.filter(stage=VisitStage.STAKING)
        if not any(len(v.neighbours) >= 4 for v in visits):
            raise ValidationError(
                _("Record the staking-out visit, with the four neighbours present, first.")
            )
        _no_open_deviation(application)
    elif key == CONSTRUCTION:
        if not application.visits.filter(stage=VisitStage.CONSTRUCTION).exists():
            raise ValidationError(_("Record at least one inspection during construction first."))
        _no_open_deviation(application)
    elif key == COMPLETION:
        if not application.visits.filter(stage=VisitStage.COMPLETION).exists():
            raise ValidationError(_("Record the completion visit with the measured figures first."))
        _no_open_deviation(application)


def _no_open_deviation(application: Application) -> None:
    found = services.open_deviations(application)
    if found:
        raise ValidationError(
            _("A deviation is not corrected (stop-work order): %(what)s.")
            % {"what": _names(d.get_kind_display() for d in found)}
        )


def left(case: Any, step: Any, outcome: str, today: dt.date, actor: Any) -> None:
    application = _application(case)
    if application is None:
        return
    key = step.limit_key
    if key == JOINT:
        services.close_open_opinions(application, today, actor, _("The joint review ended."))
    if outcome != Outcome.PASSED:
        return
    if key == DECISION:
        services.give_numbers(application, today)
        application.save(update_fields=["approval_number", "permit_number", "approved_on"])
    elif key == CONSTRUCTION and not application.completed_on:
        application.completed_on = today
        application.save(update_fields=["completed_on"])
    elif key == COMPLETION:
        visit = (
            application.visits.filter(stage=VisitStage.COMPLETION)
            .order_by("-visited_on", "-id")
            .first()
        )
        if visit is not None:
            application.actual_site_area = visit.site_area
            application.actual_footprint = visit.footprint
            application.actual_floors = visit.floors
            application.actual_height = visit.height
            application.completed_on = application.completed_on or visit.visited_on
            application.save()
    elif key == REGISTRATION:
        _register(application, today, actor)


def _register(application: Application, today: dt.date, actor: Any) -> None:
    """The new homestead enters the village's register; a moved site's old one is to be
    handed back by its deadline (a duty of the village, on the ladder)."""
    from decimal import Decimal

    from shapely.geometry import shape

    from hemei.places import geometry as geo
    from hemei.places.choices import ParcelKind
    from hemei.places.models import Parcel

    if application.geometry:
        found = shape(application.geometry)
        min_lon, min_lat, max_lon, max_lat = found.bounds
        parcel, _created = Parcel.objects.update_or_create(
            village=application.case.village,
            kind=ParcelKind.HOMESTEAD,
            code=application.approval_number[:40] or application.case.number,
            defaults={
                "household_id": application.case.household_id,
                "geometry": application.geometry,
                "area_m2": Decimal(str(round(geo.area_m2(found), 2))),
                "min_lon": min_lon,
                "min_lat": min_lat,
                "max_lon": max_lon,
                "max_lat": max_lat,
                "source": _("Homestead case %(number)s") % {"number": application.case.number},
            },
        )
        application.parcel = parcel
    if application.build_type == BuildType.MOVE and not application.handback_done_on:
        months = settings.HEMEI_HOMESTEAD_HANDBACK_MONTHS
        base = application.completed_on or today
        due = _add_months(base, months)
        application.handback_due = due
        application.handback_duty = duties.open_duty(
            division=application.case.village_id,
            title=_("Homestead %(number)s: hand back the old homestead")
            % {"number": application.case.number},
            due_on=max(due, today),
            source=Source.CASE,
            start_on=today,
            actor=actor,
        )
    application.save()


def _add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def closed(case: Any, today: dt.date, actor: Any) -> None:
    application = _application(case)
    if application is not None:
        services.close_open_opinions(application, today, actor, _("The case is closed."))


def detail_url(case: Any) -> str:
    return reverse("homestead:detail", args=[case.pk])


hooks.register(
    hooks.Procedure(
        prefix="homestead.",
        entered=entered,
        before_pass=before_pass,
        left=left,
        closed=closed,
        detail_url=detail_url,
    )
)
