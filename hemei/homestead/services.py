"""Changes to homestead applications: apply, answer a flag, choose the offices of the joint
review, give an office's opinion, record a site visit and its deviations, correct one, record
the hand-back of the old homestead, keep the area limits.

The steps themselves (pass, return, refuse, withdraw, pause, extend) are the case engine's
(``hemei.cases.services``); what this module adds to them runs through the hooks in
``procedure.py``. Every function takes keyword arguments, runs in one transaction, checks the
actor and answers bad input with ``ValidationError`` before it changes anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hemei.accounts import audit
from hemei.accounts.choices import AuditAction
from hemei.accounts.policy import allows_at, check_at
from hemei.cases import services as cases
from hemei.cases.choices import CaseState
from hemei.cases.models import Case
from hemei.catalogue.models import Item
from hemei.catalogue.selectors import version_in_force
from hemei.core import clock
from hemei.core.evidence import PHOTO, check_uploads
from hemei.divisions.models import Division
from hemei.households.models import Household
from hemei.places import geometry as geo
from hemei.places.choices import UseState
from hemei.tasks import duties
from hemei.tasks.choices import Source

from . import checks
from .choices import (
    BuildType,
    DeviationKind,
    Disposal,
    LandType,
    Office,
    Side,
    Stage,
    Terrain,
    VisitStage,
)
from .models import (
    Application,
    AreaLimit,
    Deviation,
    Flag,
    JointOpinion,
    Numbering,
    SiteVisit,
    VisitPhoto,
)

#: The key of the first step of the homestead item: how the village's catalogue names it.
APPLICATION_KEY = "homestead.application"
MAX_PHOTOS = 12
#: How far (km) a visit photo's GPS may lie from the parcel before it is pointed out.
GPS_KM = 1.0


def item_in_force(village_code: str, on: dt.date) -> Item | None:
    """The homestead item of the village's catalogue in force on ``on``."""
    version = version_in_force(village_code, on)
    if version is None:
        return None
    return version.items.filter(steps__limit_key=APPLICATION_KEY).distinct().first()


def town_of(application: Application) -> str:
    return cases.office_of(application.case.village_id, "town")


def _check_town(actor: Any, application: Application) -> None:
    if not allows_at(actor, "act_on_cases", town_of(application)):
        raise PermissionDenied(_("The town's offices do this."))


def _check_official(actor: Any, application: Application) -> None:
    village = application.case.village_id
    if not (
        allows_at(actor, "act_on_cases", village)
        or allows_at(actor, "act_on_cases", town_of(application))
    ):
        raise PermissionDenied(_("The village or the town answers this."))


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("case", "case__village", "case__step", "case__item")
        .get(pk=application.pk)
    )


def _decimal(value: Any, field: str, label: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Give the %(what)s.") % {"what": label}})
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: _("%(what)s must be a number.") % {"what": label}}) from None
    if not number.is_finite() or number < 0 or number >= Decimal("100000000"):
        raise ValidationError({field: _("%(what)s is out of range.") % {"what": label}})
    return number.quantize(Decimal("0.01"))


def read_geometry(value: Any) -> dict[str, Any] | None:
    """A drawn or uploaded parcel as a checked GeoJSON geometry (its first polygon), or None."""
    if value in (None, "", b""):
        return None
    try:
        features = (
            geo.read_parcels_file(value)
            if isinstance(value, bytes)
            else geo.read_geojson(value, parcels=True)
        )
    except geo.GeometryError as error:
        raise ValidationError({"geometry": str(error)}) from None
    if len(features) != 1:
        raise ValidationError({"geometry": _("Draw or upload exactly one parcel.")})
    from shapely.geometry import mapping

    return mapping(features[0].geometry)  # type: ignore[return-value]


def _neighbours(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows or ():
        side = str(row.get("side", ""))
        if side not in Side.values:
            raise ValidationError(
                {"neighbours": _("A neighbour's side is east, south, west or north.")}
            )
        name = str(row.get("name", "")).strip()[:60]
        if not name:
            continue
        agrees = row.get("agrees")
        out.append(
            {
                "side": side,
                "name": name,
                "agrees": bool(agrees) if agrees is not None else None,
                "opinion": str(row.get("opinion", "")).strip()[:200],
            }
        )
    return out


# --------------------------------------------------------------------------- applying


@transaction.atomic
def apply(
    *,
    actor: Any,
    village: Division,
    data: dict[str, Any],
    household: Household | None = None,
    household_number: str = "",
    geometry: Any = None,
    neighbours: Sequence[dict[str, Any]] = (),
    files: Sequence[Any] = (),
) -> Application:
    """A household's application (申请表): the case starts on the village's homestead item,
    the members are taken from the register, the parcel is measured and every check runs;
    what fails becomes a flag for the officials to answer."""
    today = clock.today()
    item = item_in_force(village.code, today)
    if item is None:
        raise ValidationError(_("The village's catalogue has no homestead item in force."))
    build_type = data.get("build_type")
    if build_type not in BuildType.values:
        raise ValidationError({"build_type": _("Choose the building type.")})
    land_type = data.get("land_type") or LandType.CONSTRUCTION
    if land_type not in LandType.values:
        raise ValidationError({"land_type": _("Choose the land type.")})
    terrain = data.get("terrain") or Terrain.PLAIN
    if terrain not in Terrain.values:
        raise ValidationError({"terrain": _("Choose the terrain.")})
    disposal = data.get("disposal") or Disposal.NONE
    if disposal not in Disposal.values:
        raise ValidationError({"disposal": _("Choose what happens to the current homestead.")})
    reason = str(data.get("reason") or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": _("Write the reason for applying.")})
    address = str(data.get("address") or "").strip()
    if not address:
        raise ValidationError({"address": _("Give the address of the proposed homestead.")})
    try:
        floors = int(str(data.get("floors") or "").strip())
    except ValueError:
        raise ValidationError({"floors": _("Give the number of floors.")}) from None
    if not 1 <= floors <= 9:
        raise ValidationError({"floors": _("Floors are between 1 and 9.")})
    figures = {
        "site_area": _decimal(data.get("site_area"), "site_area", _("homestead area")),
        "footprint": _decimal(data.get("footprint"), "footprint", _("footprint")),
        "floor_area": _decimal(data.get("floor_area"), "floor_area", _("floor area")),
        "height": _decimal(data.get("height"), "height", _("height")),
        "base_height": _decimal(
            data.get("base_height"), "base_height", _("base height"), required=False
        )
        or Decimal(0),
        "current_site_area": _decimal(
            data.get("current_site_area"),
            "current_site_area",
            _("current homestead area"),
            required=False,
        ),
        "current_floor_area": _decimal(
            data.get("current_floor_area"),
            "current_floor_area",
            _("current floor area"),
            required=False,
        ),
    }
    if figures["footprint"] > figures["site_area"]:
        raise ValidationError(
            {"footprint": _("The footprint cannot be larger than the homestead.")}
        )
    shape = read_geometry(geometry)
    rows = _neighbours(neighbours)
    case = cases.start_case(
        actor=actor,
        village=village,
        item_code=item.code,
        title=_("%(type)s at %(address)s")
        % {"type": BuildType(build_type).label, "address": address},
        household=household,
        household_number=household_number,
        files=files,
    )
    if case.household_id is None:
        raise ValidationError({"household": _("Choose the household that applies.")})
    application = Application(
        case=case,
        build_type=build_type,
        reason=reason,
        terrain=terrain,
        land_type=land_type,
        disposal=disposal,
        disposal_note=str(data.get("disposal_note") or "").strip()[:200],
        current_certificate=str(data.get("current_certificate") or "").strip()[:60],
        address=address[:200],
        fits_plan=bool(data.get("fits_plan", True)),
        floors=floors,
        design=str(data.get("design") or "").strip()[:60],
        handback_promised=bool(data.get("handback_promised")),
        neighbours=rows,
        members=checks.describe_members(case.household, today),
        geometry=shape,
        **{side: str(data.get(side) or "").strip()[:60] for side in Side.values},
        **figures,
    )
    if shape is not None:
        application.measured_area = Decimal(str(round(geo.area_m2(geo.check(shape)), 2)))
    held = checks.held_homesteads(application)
    if held and build_type in BuildType.keeps_site():
        application.current_parcel = held[0]
    application.save()
    raise_flags(application, Stage.APPLICATION, today)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=application,
        changes={"case": [None, case.number]},
        division_code=village.code,
    )
    return application


def raise_flags(application: Application, stage: str, on: dt.date) -> list[Flag]:
    """Flags for what the checks find on ``on``. At approval, a finding already answered at
    application with the same words is not asked again; a new or changed one is."""
    answered = {
        (flag.kind, flag.text)
        for flag in application.flags.filter(stage=Stage.APPLICATION).exclude(answered_on=None)
    }
    made = []
    for finding in checks.findings(application, on):
        if stage == Stage.APPROVAL and (finding.kind, finding.text) in answered:
            continue
        flag, created = Flag.objects.get_or_create(
            application=application,
            kind=finding.kind,
            stage=stage,
            defaults={"text": finding.text, "raised_on": on},
        )
        if created:
            made.append(flag)
    return made


@transaction.atomic
def answer_flag(*, actor: Any, flag: Flag, answer: str, signer: str) -> Flag:
    """An official answers a flag (how it is resolved or why it is accepted); once."""
    flag = Flag.objects.select_for_update().select_related("application__case").get(pk=flag.pk)
    application = flag.application
    if flag.stage == Stage.APPROVAL:
        _check_town(actor, application)
    else:
        _check_official(actor, application)
    if not application.case.is_running:
        raise ValidationError(_("The case is closed."))
    if flag.answered_on:
        raise ValidationError(_("This flag is answered already."))
    answer, signer = (answer or "").strip(), (signer or "").strip()
    if len(answer) < 4:
        raise ValidationError({"answer": _("Write how it is resolved or why it is accepted.")})
    if not signer:
        raise ValidationError({"signer": _("Name who signs.")})
    flag.answer = answer
    flag.answerer_name = signer[:60]
    flag.answered_by = actor
    flag.answered_on = clock.today()
    flag.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=flag,
        changes={"answer": [None, answer]},
        division_code=application.case.village_id,
    )
    return flag


# --------------------------------------------------------------------------- joint review


@transaction.atomic
def set_offices(*, actor: Any, application: Application, offices: Sequence[str]) -> Application:
    """The offices consulted besides 农业农村 and 自然资源 (林业, 水利, 电力, 执法), chosen by
    the town's window before the joint review starts; once it runs, new offices are asked
    at once, each on its own clock."""
    application = _locked(application)
    _check_town(actor, application)
    extra = sorted({o for o in offices if o in Office.values and o not in Office.always()})
    if len(extra) != len({o for o in offices if o not in Office.always()}):
        raise ValidationError({"offices": _("Unknown office.")})
    before = list(application.offices)
    application.offices = extra
    application.save(update_fields=["offices"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=application,
        changes={"offices": [before, extra]},
        division_code=application.case.village_id,
    )
    step = application.case.step
    if (
        step is not None
        and step.limit_key == "homestead.joint_review"
        and application.case.state == CaseState.OPEN
    ):
        open_opinions(application, clock.today(), actor)
    return application


def _opinion_title(application: Application, office: str) -> str:
    return _("Homestead %(number)s: opinion of %(office)s") % {
        "number": application.case.number,
        "office": Office(office).label,
    }


def current_round(application: Application) -> int:
    return max(application.opinions.values_list("round", flat=True), default=0)


def _ask(
    application: Application,
    offices: Sequence[str],
    round_: int,
    due: dt.date,
    today: dt.date,
    actor: Any,
) -> list[JointOpinion]:
    """Ask ``offices`` for their opinions in ``round_``, each on its own clock (a duty of
    the town, due on ``due``)."""
    made = []
    for office in offices:
        duty = duties.open_duty(
            division=town_of(application),
            title=_opinion_title(application, office),
            due_on=due,
            source=Source.CASE,
            start_on=today,
            actor=actor,
        )
        made.append(
            JointOpinion.objects.create(
                application=application,
                office=office,
                round=round_,
                asked_on=today,
                due_on=due,
                duty=duty,
            )
        )
    return made


def _offices(application: Application) -> tuple[str, ...]:
    return (*Office.always(), *application.offices)


def open_opinions(application: Application, today: dt.date, actor: Any) -> list[JointOpinion]:
    """Ask the offices of the current round that have not been asked (an office added
    while the joint review runs). An office asked later gets its own full time, counted
    from the day it is asked."""
    round_ = current_round(application) or 1
    asked = set(application.opinions.filter(round=round_).values_list("office", flat=True))
    case = application.case
    due = cases.deadline(case.step, case.village_id, today)
    missing = [office for office in _offices(application) if office not in asked]
    return _ask(application, missing, round_, due, today, actor)


def start_round(application: Application, today: dt.date, actor: Any) -> list[JointOpinion]:
    """A new round of opinions (the case entered the joint review again), due with the step."""
    due = application.case.step_due_on or today
    return _ask(
        application, _offices(application), current_round(application) + 1, due, today, actor
    )


def close_open_opinions(
    application: Application, today: dt.date, actor: Any, text: str = ""
) -> None:
    for opinion in application.opinions.filter(signed_on=None).exclude(duty=None):
        duties.close_duty(task_id=opinion.duty_id, actor=actor, on=today, text=text)


@transaction.atomic
def give_opinion(
    *,
    actor: Any,
    opinion: JointOpinion,
    agrees: bool,
    text: str,
    signer: str,
    sealed: bool = False,
    signed_on: dt.date | None = None,
) -> JointOpinion:
    """One office's opinion of the joint review, signed; its clock stops."""
    opinion = (
        JointOpinion.objects.select_for_update()
        .select_related("application__case")
        .get(pk=opinion.pk)
    )
    application = opinion.application
    _check_town(actor, application)
    case = application.case
    if (
        case.state != CaseState.OPEN
        or case.step is None
        or case.step.limit_key != "homestead.joint_review"
    ):
        raise ValidationError(_("The joint review is not in hand."))
    if opinion.round != current_round(application):
        raise ValidationError(_("This opinion belongs to an earlier round."))
    if opinion.is_given:
        raise ValidationError(_("This office has given its opinion."))
    text, signer = (text or "").strip(), (signer or "").strip()
    today = clock.today()
    signed_on = signed_on or today
    if not text:
        raise ValidationError({"opinion": _("Write the opinion.")})
    if not signer:
        raise ValidationError({"signer": _("Name who signs.")})
    if signed_on > today:
        raise ValidationError({"signed_on": _("The date signed cannot be in the future.")})
    opinion.agrees = bool(agrees)
    opinion.opinion = text
    opinion.signer = signer[:60]
    opinion.sealed = sealed
    opinion.signed_on = signed_on
    opinion.actor = actor
    opinion.save()
    if opinion.duty_id:
        duties.close_duty(task_id=opinion.duty_id, actor=actor, on=today)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=opinion,
        changes={"opinion": [None, text], "agrees": [None, bool(agrees)]},
        division_code=case.village_id,
    )
    return opinion


# --------------------------------------------------------------------------- numbers


def next_number(town: Division, year: int, kind: str) -> int:
    row, _created = Numbering.objects.select_for_update().get_or_create(
        town=town, year=year, kind=kind
    )
    row.last += 1
    row.save(update_fields=["last"])
    return row.last


def give_numbers(application: Application, today: dt.date) -> None:
    """The 批准书 and 乡村建设规划许可证 numbers, one series per town and year each."""
    town = Division.objects.get(code=town_of(application))
    year = today.year
    approval = next_number(town, year, "approval")
    permit = next_number(town, year, "permit")
    application.approval_number = _("%(town)s homestead approval 〔%(year)d〕 No. %(n)03d") % {
        "town": town.code,
        "year": year,
        "n": approval,
    }
    application.permit_number = _("Rural building permit No. %(town)s (%(year)d) %(n)04d") % {
        "town": town.code,
        "year": year,
        "n": permit,
    }
    application.approved_on = today


# --------------------------------------------------------------------------- site visits


def _photo_warnings(checked: Any, visited_on: dt.date, application: Application) -> list[str]:
    """What the photo's EXIF says against the visit (the progress evidence checks)."""
    found = []
    if checked.taken_at is None:
        found.append(_("no time in the photo (EXIF)"))
    elif abs((checked.taken_at.date() - visited_on).days) > 1:
        found.append(
            _("taken on %(date)s, not on the day of the visit")
            % {"date": checked.taken_at.date().isoformat()}
        )
    if checked.latitude is None or checked.longitude is None:
        found.append(_("no location in the photo (GPS)"))
    elif application.geometry:
        from pyproj import Geod
        from shapely.geometry import shape

        centre = shape(application.geometry).centroid
        _az, _back, metres = Geod(ellps="GRS80").inv(
            float(checked.longitude), float(checked.latitude), centre.x, centre.y
        )
        if metres > GPS_KM * 1000:
            found.append(_("taken %(km).1f km from the parcel") % {"km": metres / 1000})
    return found


@transaction.atomic
def record_visit(
    *,
    actor: Any,
    application: Application,
    stage: str,
    visited_on: dt.date,
    officials: str,
    neighbours: Sequence[str] = (),
    site_area: Any = None,
    footprint: Any = None,
    floors: Any = None,
    height: Any = None,
    note: str = "",
    photos: Sequence[Any] = (),
    deviations: Sequence[dict[str, Any]] = (),
    builder: str = "",
) -> SiteVisit:
    """到场: a visit at ``stage`` with who was there, what was measured and photos. A
    deviation found (超红线, 移位, 超高) is a stop-work order with its deadline; at
    completion, figures over the approval raise one by themselves."""
    application = _locked(application)
    _check_town(actor, application)
    case = application.case
    if not case.is_running:
        raise ValidationError(_("The case is closed."))
    if stage not in VisitStage.values:
        raise ValidationError({"stage": _("Choose the stage of the visit.")})
    today = clock.today()
    if visited_on > today:
        raise ValidationError({"visited_on": _("The visit cannot be in the future.")})
    if stage != VisitStage.SELECTION and not application.approved_on:
        raise ValidationError({"stage": _("Only the site selection comes before the approval.")})
    officials = (officials or "").strip()
    if not officials:
        raise ValidationError({"officials": _("Name the officials present.")})
    sides = sorted({s for s in neighbours if s})
    if any(s not in Side.values for s in sides):
        raise ValidationError(
            {"neighbours": _("A neighbour's side is east, south, west or north.")}
        )
    if stage == VisitStage.STAKING and len(sides) < 4:
        raise ValidationError(
            {
                "neighbours": _(
                    "At staking out the four neighbours are present and sign (东、南、西、北)."
                )
            }
        )
    figures = {
        "site_area": _decimal(site_area, "site_area", _("homestead area"), required=False),
        "footprint": _decimal(footprint, "footprint", _("footprint"), required=False),
        "height": _decimal(height, "height", _("height"), required=False),
    }
    floors_n = None
    if floors not in (None, ""):
        try:
            floors_n = int(str(floors))
        except ValueError:
            raise ValidationError({"floors": _("Give the number of floors.")}) from None
        if not 0 <= floors_n <= 9:
            raise ValidationError({"floors": _("Floors are between 1 and 9.")})
    if stage == VisitStage.COMPLETION and (
        None in (figures["site_area"], figures["footprint"], figures["height"]) or floors_n is None
    ):
        raise ValidationError(
            _("At completion, measure the homestead, the footprint, the floors and the height.")
        )
    rows = []
    for row in deviations or ():
        kind = row.get("kind")
        if kind not in DeviationKind.values:
            raise ValidationError({"deviations": _("Unknown kind of deviation.")})
        text = str(row.get("text") or "").strip()
        if not text:
            raise ValidationError({"deviations": _("Describe the deviation.")})
        correct_by = row.get("correct_by")
        if not isinstance(correct_by, dt.date) or correct_by < visited_on:
            raise ValidationError({"deviations": _("Give the date by which it is corrected.")})
        rows.append((kind, text, correct_by))
    checked = check_uploads(photos, max_files=MAX_PHOTOS)
    if any(item.kind != PHOTO for item in checked):
        raise ValidationError({"photos": _("Visit photos are pictures (JPEG, PNG, WebP).")})
    if stage in (VisitStage.STAKING, VisitStage.COMPLETION) and not checked:
        raise ValidationError({"photos": _("Add photos of the site.")})
    visit = SiteVisit.objects.create(
        application=application,
        stage=stage,
        visited_on=visited_on,
        officials=officials[:200],
        neighbours=sides,
        floors=floors_n,
        note=(note or "").strip(),
        actor=actor,
        **figures,
    )
    for item in checked:
        photo = VisitPhoto(
            visit=visit,
            name=item.name[:255],
            suffix=item.suffix,
            content_type=item.content_type,
            sha256=item.sha256,
            taken_at=item.taken_at,
            latitude=item.latitude,
            longitude=item.longitude,
            warnings=_photo_warnings(item, visited_on, application),
        )
        photo.file.save(item.name, ContentFile(item.data), save=False)
        photo.save()
    if stage == VisitStage.COMPLETION:
        rows.extend(_completion_deviations(application, visit, rows))
    for kind, text, correct_by in rows:
        Deviation.objects.create(visit=visit, kind=kind, text=text, correct_by=correct_by)
    if stage == VisitStage.STAKING and not application.started_on:
        application.started_on = visited_on
        application.save(update_fields=["started_on"])
    builder = (builder or "").strip()[:60]
    if builder:
        application.builder = builder
        application.save(update_fields=["builder"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=visit,
        changes={"stage": [None, stage], "deviations": [None, len(rows)]},
        division_code=case.village_id,
    )
    return visit


#: What the measured figures may exceed the approved ones by before it is a deviation.
SITE_TOLERANCE = Decimal("1.00")  # m²
HEIGHT_TOLERANCE = Decimal("0.10")  # m


def _completion_deviations(
    application: Application, visit: SiteVisit, given: list[tuple[str, str, dt.date]]
) -> list[tuple[str, str, dt.date]]:
    kinds = {kind for kind, _text, _date in given}
    found = []
    deadline = visit.visited_on + dt.timedelta(days=30)
    if DeviationKind.TOO_LARGE not in kinds and (
        visit.site_area > application.site_area + SITE_TOLERANCE
        or visit.footprint > application.footprint + SITE_TOLERANCE
    ):
        found.append(
            (
                DeviationKind.TOO_LARGE,
                _(
                    "Built %(site)s m² on %(foot)s m² of footprint; approved %(asite)s m² and %(afoot)s m²."
                )
                % {
                    "site": visit.site_area,
                    "foot": visit.footprint,
                    "asite": application.site_area,
                    "afoot": application.footprint,
                },
                deadline,
            )
        )
    if DeviationKind.TOO_HIGH not in kinds and (
        visit.floors > application.floors or visit.height > application.height + HEIGHT_TOLERANCE
    ):
        found.append(
            (
                DeviationKind.TOO_HIGH,
                _(
                    "Built %(floors)s floors, %(height)s m; approved %(afloors)s floors, %(aheight)s m."
                )
                % {
                    "floors": visit.floors,
                    "height": visit.height,
                    "afloors": application.floors,
                    "aheight": application.height,
                },
                deadline,
            )
        )
    return found


@transaction.atomic
def correct_deviation(
    *, actor: Any, deviation: Deviation, answer: str, corrected_on: dt.date | None = None
) -> Deviation:
    """The deviation is corrected (or answered by the town): the stop-work order is lifted."""
    deviation = (
        Deviation.objects.select_for_update()
        .select_related("visit__application__case")
        .get(pk=deviation.pk)
    )
    application = deviation.visit.application
    _check_town(actor, application)
    if not deviation.is_open:
        raise ValidationError(_("This deviation is answered already."))
    answer = (answer or "").strip()
    if len(answer) < 4:
        raise ValidationError({"answer": _("Write how it was corrected.")})
    today = clock.today()
    corrected_on = corrected_on or today
    if corrected_on > today or corrected_on < deviation.visit.visited_on:
        raise ValidationError({"corrected_on": _("The date is between the visit and today.")})
    deviation.answer = answer
    deviation.corrected_on = corrected_on
    deviation.answered_by = actor
    deviation.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=deviation,
        changes={"corrected_on": [None, corrected_on.isoformat()]},
        division_code=application.case.village_id,
    )
    return deviation


def open_deviations(application: Application) -> list[Deviation]:
    return list(
        Deviation.objects.filter(visit__application=application, corrected_on=None).order_by("id")
    )


# --------------------------------------------------------------------------- hand-back


@transaction.atomic
def record_handback(
    *, actor: Any, application: Application, on: dt.date, note: str = ""
) -> Application:
    """The old homestead is handed back to the collective (建新拆旧)."""
    application = _locked(application)
    _check_official(actor, application)
    if application.build_type != BuildType.MOVE:
        raise ValidationError(_("Only a new site hands back an old homestead."))
    if application.handback_done_on:
        raise ValidationError(_("The hand-back is recorded already."))
    if on > clock.today():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    application.handback_done_on = on
    application.save(update_fields=["handback_done_on"])
    if application.handback_duty_id:
        duties.close_duty(task_id=application.handback_duty_id, actor=actor, on=on, text=note)
    if application.current_parcel_id:
        parcel = application.current_parcel
        parcel.use_state = UseState.EXITED
        parcel.save(update_fields=["use_state", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=application,
        changes={"handback_done_on": [None, on.isoformat()]},
        division_code=application.case.village_id,
    )
    return application


# --------------------------------------------------------------------------- limits


@transaction.atomic
def add_limit(*, actor: Any, division: Division, data: dict[str, Any]) -> AreaLimit:
    """A province's or county's limit, from a date (the county office keeps its own)."""
    check_at(actor, "administer", division.code, _("Only the county office keeps the limits."))
    if len(division.code) not in (2, 6):
        raise ValidationError({"division": _("Limits are set for a province or a county.")})
    terrain = data.get("terrain")
    if terrain not in Terrain.values:
        raise ValidationError({"terrain": _("Choose the terrain.")})
    valid_from = data.get("valid_from")
    if not isinstance(valid_from, dt.date):
        raise ValidationError({"valid_from": _("Give the date the rule is in force from.")})
    valid_to = data.get("valid_to")
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end of validity is before its start.")})
    basis = str(data.get("basis") or "").strip()
    if not basis:
        raise ValidationError({"basis": _("Name the rule's source: document, number and article.")})
    floors = data.get("max_floors")
    try:
        floors = int(floors) if floors not in (None, "") else None
    except (TypeError, ValueError):
        raise ValidationError({"max_floors": _("Give the number of floors.")}) from None
    if floors is not None and not 1 <= floors <= 9:
        raise ValidationError({"max_floors": _("Floors are between 1 and 9.")})
    limit = AreaLimit(
        division=division,
        terrain=terrain,
        max_site_area=_decimal(data.get("max_site_area"), "max_site_area", _("homestead area")),
        max_floor_area=_decimal(
            data.get("max_floor_area"), "max_floor_area", _("floor area"), required=False
        ),
        max_floors=floors,
        max_height=_decimal(data.get("max_height"), "max_height", _("height"), required=False),
        basis=basis,
        valid_from=valid_from,
        valid_to=valid_to,
        added_by=actor,
    )
    # rows whose validity meets [valid_from, valid_to]
    overlapping = AreaLimit.objects.filter(division=division, terrain=terrain).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    if overlapping.exists():
        raise ValidationError(
            _(
                "A limit for this terrain is already in force in that time: end it first (valid until)."
            )
        )
    limit.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=limit,
        changes={"max_site_area": [None, str(limit.max_site_area)]},
        division_code=division.code,
    )
    return limit


@transaction.atomic
def end_limit(*, actor: Any, limit: AreaLimit, valid_to: dt.date) -> AreaLimit:
    limit = AreaLimit.objects.select_for_update().get(pk=limit.pk)
    check_at(actor, "administer", limit.division_id, _("Only the county office keeps the limits."))
    if valid_to < limit.valid_from:
        raise ValidationError({"valid_to": _("The end of validity is before its start.")})
    limit.valid_to = valid_to
    limit.save(update_fields=["valid_to"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=limit,
        changes={"valid_to": [None, valid_to.isoformat()]},
        division_code=limit.division_id,
    )
    return limit


def case_application(case: Case) -> Application | None:
    return Application.objects.filter(case=case).first()
