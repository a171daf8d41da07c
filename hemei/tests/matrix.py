"""What the permission matrix stands on: one real object of each kind in town A (田横镇) and
its village 红花山村, a client per member of the cast, and a way to ask one URL as one of them
that leaves the world as it was (every request runs inside a savepoint rolled back after it).

Every name, title or text of an object of town A carries ``MARK``, an ASCII word, so a page
or a JSON answer (whose Chinese is escaped) shows at a glance whether it lets town A through.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client

from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B, Cast, build_cast
from hemei.divisions.models import Division

#: In every name of town A's objects; never in anything of town B or the county.
MARK = "TAMARK"
#: The day the world stands on (points need it inside their rules' year; notices running).
TODAY = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)

#: answers that refuse: a write answered so must leave every table as it was
REFUSED = {302, 401, 403, 404, 405}

CAST = ("alice", "lily", "dan", "tom", "victor", "vera", "owen", "nora")
ANONYMOUS = "anonymous"
EVERYONE = (ANONYMOUS, *CAST)


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 12), (60, 140, 60)).save(out, "JPEG")
    return out.getvalue()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "PNG")
    return out.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class World:
    cast: Cast
    objects: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def pk(self, name: str) -> Any:
        return self.objects[name].pk


def build_world() -> World:
    """The cast, and in town A: the work loop's objects; in 红花山村: the village's."""
    cast = build_cast()
    world = World(cast=cast)
    with clock.frozen_at(TODAY - dt.timedelta(days=100)):  # 2026-03-07: the work starts
        _work_loop(world)
    _supervision(world)
    _rankings(world)
    _village(world)
    _points(world)
    _documents(world)
    _the_rest(world)
    _procedures(world)
    _homestead(world)
    _cases(world)
    _board(world)
    _notices(world)
    _disclosure(world)
    _places_map(world)
    _places(world)
    return world


def _work_loop(world: World) -> None:
    from hemei.meetings import services as meetings
    from hemei.meetings.models import Decision, Meeting
    from hemei.progress import services as progress
    from hemei.progress.evidence import check_file
    from hemei.tasks import services as tasks

    c, o = world.cast, world.objects
    county = Division.objects.get(code=COUNTY)
    town = Division.objects.get(code=TOWN_A)
    o["county_meeting"] = Meeting.objects.create(
        name="全区乡村振兴推进会", held_on=dt.date(2026, 3, 2), level="county", division=county
    )
    o["county_decision"] = Decision.objects.create(
        meeting=o["county_meeting"], number=1, text="完成户厕改造"
    )
    o["meeting"] = Meeting.objects.create(
        name=f"田横镇调度会 {MARK}", held_on=dt.date(2026, 3, 5), level="town", division=town
    )
    o["decision"] = Decision.objects.create(meeting=o["meeting"], number=1, text=f"落实 {MARK}")
    o["attachment"] = meetings.add_attachment(
        actor=c.tom,
        meeting=o["meeting"],
        upload=SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf"),
    )
    o["county_task"] = tasks.create_task(
        actor=c.alice,
        division=county,
        title="完成农村户厕改造",
        start_on=dt.date(2026, 3, 1),
        due_on=dt.date(2026, 12, 31),
        meeting=o["county_meeting"],
        decision=o["county_decision"],
        lead_leader=c.lily,
        lead_unit=c.unit,
        milestones=[("摸底", dt.date(2026, 4, 1), 1)],
    )
    (part,) = tasks.fan_out(actor=c.alice, task=o["county_task"], codes=[TOWN_A])
    part.title = f"田横镇户厕改造 {MARK}"
    part.save(update_fields=["title"])
    o["task"] = part
    o["village_task"] = tasks.create_task(
        actor=c.tom,
        division=Division.objects.get(code=VILLAGE_A),
        title=f"红花山村道路硬化 {MARK}",
        start_on=dt.date(2026, 3, 1),
        due_on=dt.date(2026, 12, 31),
        responsible=c.victor,
    )
    o["draft"] = progress.create_report(
        actor=c.tom,
        task=part,
        percent=20,
        text=f"开工 {MARK}",
        files=[check_file("现场.jpg", _jpeg())],
    )
    o["evidence"] = o["draft"].evidence.get()
    o["submitted"] = progress.create_report(
        actor=c.tom, task=part, percent=30, text=f"推进 {MARK}", submit=True
    )


def _supervision(world: World) -> None:
    from hemei.supervision import services as supervision
    from hemei.supervision.models import Card
    from hemei.tasks import links

    c, o = world.cast, world.objects
    due = dt.date(2026, 6, 25)
    with clock.frozen_at(TODAY):
        o["order"] = supervision.issue_order(
            task=o["task"], actor=c.alice, text=f"请说明进展 {MARK}", reply_due=due
        )
        o["answered"] = supervision.issue_order(
            task=o["task"], actor=c.alice, text=f"再说明 {MARK}", reply_due=due
        )
        o["reply"] = supervision.reply_to_order(
            order=o["answered"],
            actor=c.tom,
            text=f"见附件 {MARK}",
            attachment=SimpleUploadedFile("说明.pdf", PDF),
        )
        o["extension"] = supervision.request_extension(
            task=o["task"],
            actor=c.tom,
            requested_due=dt.date(2027, 3, 31),
            reason=f"资金未到位 {MARK}",
        )
        o["card"] = Card.objects.create(
            task=o["task"], kind="yellow", issued_at=clock.now(), step="yellow_card+1", due_on=due
        )
        o["link"] = links.create_leader_link(
            actor=c.alice, leader=c.lily, kind="town", division=Division.objects.get(code=TOWN_A)
        )


def _rankings(world: World) -> None:
    from hemei.rankings import services as rankings
    from hemei.rankings.jobs import render_circular

    c, o = world.cast, world.objects
    with clock.frozen_at(TODAY):
        o["run"] = rankings.compute_ranking(
            county_or_town=Division.objects.get(code=TOWN_A),
            period_kind="month",
            period_start=dt.date(2026, 5, 1),
            actor=c.tom,
        )
        o["export"] = rankings.request_circular(run=o["run"], actor=c.tom)
        render_circular.call(o["export"].pk)  # as the worker would, after the commit
        o["export"].refresh_from_db()


def _village(world: World) -> None:
    from hemei.households import services as households
    from hemei.households.tests.factories import make_household

    c, o = world.cast, world.objects
    village = Division.objects.get(code=VILLAGE_A)
    with clock.frozen_at(TODAY):
        o["group"] = households.create_village_group(
            actor=c.victor, village=village, name=f"第一组 {MARK}"
        )
        o["home"] = make_household(c.victor, village, "001", group=o["group"], address=MARK)
        o["head"] = o["home"].head
        households.link_account(actor=c.victor, resident=o["head"], user=c.vera)
        o["member"] = o["home"].members.exclude(pk=o["head"].pk).first()
        o["neighbour"] = make_household(c.victor, village, "002", address=MARK)
        o["other_village_home"] = make_household(
            c.owen, Division.objects.get(code=VILLAGE_B), "001"
        )


def _points(world: World) -> None:
    from hemei.points import services as points
    from hemei.points.tests.factories import adopted_rules, approved, effective, item

    c, o = world.cast, world.objects
    village = Division.objects.get(code=VILLAGE_A)
    with clock.frozen_at(TODAY):
        o["version"] = adopted_rules(c.victor, VILLAGE_A)
        o["rule_set"] = o["version"].rule_set
        o["item"] = item(o["version"], "A2")
        # vera's household: effective points (a balance to redeem), and one awaiting 初评
        earned = points.record_entry(
            actor=c.victor,
            household=o["home"],
            item=item(o["version"], "B1"),
            occurred_on=dt.date(2026, 5, 1),
            description=f"见义勇为 {MARK}",
            files=[SimpleUploadedFile("现场.png", _png(), content_type="image/png")],
        )
    o["earned"] = effective(c.victor, earned)
    with clock.frozen_at(TODAY):
        o["own_entry"] = points.record_entry(
            actor=c.victor,
            household=o["home"],
            item=o["item"],
            occurred_on=dt.date(2026, 6, 1),
            description=f"开会 {MARK}",
        )
        # the neighbour's: one submitted (with evidence), one in public notice, one objected to
        o["entry"] = points.record_entry(
            actor=c.victor,
            household=o["neighbour"],
            item=item(o["version"], "B1"),
            occurred_on=dt.date(2026, 6, 2),
            description=f"救人 {MARK}",
            files=[SimpleUploadedFile("照片.png", _png(), content_type="image/png")],
        )
        o["points_evidence"] = o["entry"].evidence.get()
        o["notice_entry"] = approved(
            c.victor,
            points.record_entry(
                actor=c.victor,
                household=o["neighbour"],
                item=o["item"],
                occurred_on=dt.date(2026, 6, 3),
                description=f"参会 {MARK}",
            ),
        )
        objected = approved(
            c.victor,
            points.record_entry(
                actor=c.victor,
                household=o["neighbour"],
                item=item(o["version"], "A1"),
                occurred_on=dt.date(2026, 6, 4),
                description=f"清扫 {MARK}",
            ),
        )
        o["objection"] = points.object_to_entry(actor=c.vera, entry=objected, reason=MARK)
        o["goods"] = points.add_goods(
            actor=c.victor, village=village, name=f"洗衣粉 {MARK}", price=5, stock=10
        )
        o["redemption"] = points.redeem(actor=c.vera, household=o["home"], goods=o["goods"])


def _documents(world: World) -> None:
    from hemei.documents import services as documents
    from hemei.documents.kinds import NOTICE

    c, o = world.cast, world.objects
    with clock.frozen_at(TODAY):
        o["county_template"] = documents.upload_template(
            c.alice, Division.objects.get(code=COUNTY), "notice", NOTICE.default_bytes()
        )


def _the_rest(world: World) -> None:
    from hemei.accounts.models import RoleAssignment
    from hemei.api import services as api_services
    from hemei.intake.models import IngestDraft, TableUpload
    from hemei.intake.tests.helpers import workbook
    from hemei.notifications.models import Notification
    from hemei.notifications.services import notify

    c, o = world.cast, world.objects
    with clock.frozen_at(TODAY):
        notify(recipients=[c.tom], kind="reminder", title=f"提醒 {MARK}", email=False)
        o["notification"] = Notification.objects.filter(recipient=c.tom).latest("pk")
        o["tom_grant"] = RoleAssignment.objects.get(user=c.tom)
        o["upload"] = TableUpload.objects.create(
            owner=c.tom,
            division_id=TOWN_A,
            year=2026,
            filename="t.xlsx",
            data=workbook([[1, f"推进户厕改造{MARK}", None, "区农业农村局", None, "年底", None]]),
            sha256="0" * 64,
        )
        o["draft_intake"] = IngestDraft.objects.create(
            owner=c.tom,
            division_id=TOWN_A,
            year=2026,
            result={
                "text": MARK,
                "removed": [],
                "meeting": {},
                "people": [],
                "programs": [],
                "directives": [],
            },
        )
        o["token"], _key = api_services.create_token(actor=c.tom, name=f"脚本 {MARK}")
        for name in CAST:
            _token, key = api_services.create_token(actor=getattr(c, name), name="matrix")
            world.tokens[name] = key


def _procedures(world: World) -> None:
    """A time limit of the county (read by the whole county, ended by its administrators),
    and a decision record of 红花山村 (read by village affairs, made by the village)."""
    from hemei.procedures import services as procedures

    world.objects["time_limit"] = procedures.add_time_limit(
        actor=world.cast.alice,
        division=Division.objects.get(code=COUNTY),
        key="homestead.village_review",
        name="村级审查",
        days=5,
        unit="workday",
        basis="宅基地管理办法",
        valid_from=dt.date(2026, 1, 1),
    )
    # a decision record (四议两公开) of 红花山村 past its first meeting, with the minutes
    from hemei.procedures.models import DecisionProcess

    process = DecisionProcess.objects.get(division=None)
    world.objects["decision_process"] = process
    record = procedures.create_record(
        actor=world.cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        title=f"鱼塘发包 {MARK}",
        process=process,
    )
    with clock.frozen_at(TODAY):
        meeting = procedures.record_meeting(
            actor=world.cast.victor,
            record=record,
            held_on=dt.date(2026, 6, 1),
            entitled=7,
            present=7,
            votes_for=6,
            against=1,
            abstain=0,
            minutes=SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf"),
        )
    world.objects["decision"] = record
    world.objects["decision_file"] = meeting.files.get()


def _homestead(world: World) -> None:
    """红花山村 adopts the county's default catalogue (in force before the sample one of
    ``_cases``), and vera's household applies for a homestead in January: by the world's day
    the case is in the town's joint review, with an open flag, the offices' opinions asked and
    a site-selection visit with a photo and a deviation; the county has an area limit."""
    from hemei.cases import services as cases
    from hemei.homestead import services as homestead
    from hemei.homestead.models import AreaLimit
    from hemei.homestead.samples import adopt_default_catalogue
    from hemei.notices import services as notices

    o, c = world.objects, world.cast
    village = Division.objects.get(code=VILLAGE_A)
    adopt_default_catalogue(c.alice, VILLAGE_A, on=dt.date(2025, 12, 30))
    lon, lat = 120.45, 36.39
    square = {
        "type": "Polygon",
        "coordinates": [
            [
                [lon, lat],
                [lon + 0.0001, lat],
                [lon + 0.0001, lat + 0.0001],
                [lon, lat + 0.0001],
                [lon, lat],
            ]
        ],
    }

    def at(day: int) -> Any:
        return clock.frozen_at(dt.datetime(2026, 1, day, 2, 0, tzinfo=dt.UTC))

    with at(6):
        application = homestead.apply(
            actor=c.victor,
            village=village,
            household=o["home"],
            data={
                "build_type": "split",
                "reason": f"分户后无房居住 {MARK}",
                "address": f"红花山村一组 {MARK}",
                "land_type": "construction",
                "site_area": "120",
                "footprint": "100",
                "floor_area": "200",
                "floors": "2",
                "height": "7.5",
            },
            geometry=square,
        )
        cases.pass_step(actor=c.victor, case=application.case, opinion="小组同意", signer="魏村")
    with at(13):
        notices.end_due_notices()
    case = application.case
    case.refresh_from_db()
    with at(14):
        cases.pass_step(actor=c.victor, case=case, opinion="材料属实", signer="魏村")
    case.refresh_from_db()
    with at(15):
        cases.pass_step(actor=c.tom, case=case, opinion="受理", signer="唐涛")
        visit = homestead.record_visit(
            actor=c.tom,
            application=application,
            stage="selection",
            visited_on=dt.date(2026, 1, 15),
            officials=f"唐涛 {MARK}",
            photos=[SimpleUploadedFile("选址.jpg", _jpeg(), content_type="image/jpeg")],
            deviations=[
                {"kind": "other", "text": f"需退让村道 {MARK}", "correct_by": dt.date(2026, 2, 1)}
            ],
        )
        o["limit"] = AreaLimit.objects.create(
            division_id=COUNTY,
            terrain="plain",
            max_site_area=150,
            basis="县级规定",
            valid_from=dt.date(2026, 1, 1),
        )
    o["homestead"] = application
    o["homestead_flag"] = application.flags.first()
    o["homestead_opinion"] = application.opinions.first()
    o["visit_photo"] = visit.photos.get()
    o["deviation"] = visit.deviations.get()


def _cases(world: World) -> None:
    """The county's catalogue template adopted by 红花山村, and a case of vera's household
    at the village's step, with one file; a refused case for the letter."""
    from hemei.cases import services as cases
    from hemei.catalogue.samples import adopted_catalogue

    o, c = world.objects, world.cast
    version = adopted_catalogue(c.alice, VILLAGE_A)
    o["catalogue_version"] = version
    o["catalogue"] = version.catalogue
    o["catalogue_item"] = version.items.get(code="F01")
    o["catalogue_template"] = version.based_on.catalogue
    with clock.frozen_at(TODAY):
        case = cases.start_case(
            actor=c.vera,
            village=Division.objects.get(code=VILLAGE_A),
            item_code="F01",
            title=f"临时救助 {MARK}",
            files=[SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf")],
        )
        refused = cases.start_case(
            actor=c.vera,
            village=Division.objects.get(code=VILLAGE_A),
            item_code="F01",
            title=f"再次申请 {MARK}",
        )
        cases.refuse(actor=c.victor, case=refused, reason="收入超过标准", signer="魏村")
    o["case"] = case
    o["case_file"] = case.files.get()
    o["refused_case"] = refused


def _places(world: World) -> None:
    """Two homesteads of 红花山村 in the register (household 001): one in use, one given
    up with its exit agreement."""
    from hemei.places import services as places
    from hemei.places.models import Parcel

    o, c = world.objects, world.cast
    square = {
        "type": "Polygon",
        "coordinates": [
            [[120.7, 36.5], [120.7001, 36.5], [120.7001, 36.5001], [120.7, 36.5001], [120.7, 36.5]]
        ],
    }
    common = {"village_id": VILLAGE_A, "kind": "homestead", "household": o["home"]}
    o["parcel"] = Parcel.objects.create(
        code=f"Z{MARK}1",
        address=MARK,
        geometry=square,
        area_m2="99.40",
        **common,
        min_lon=120.7,
        min_lat=36.5,
        max_lon=120.7001,
        max_lat=36.5001,
    )
    o["exited_parcel"] = Parcel.objects.create(code=f"Z{MARK}2", address=MARK, **common)
    with clock.frozen_at(TODAY):
        o["exit_event"] = places.record_exit(
            actor=c.victor,
            parcel=o["exited_parcel"],
            on=dt.date(2026, 6, 1),
            compensation=50000,
            agreement=SimpleUploadedFile("退出协议.pdf", PDF, content_type="application/pdf"),
        )


def _board(world: World) -> None:
    """红花山村's public board is on (victor turned it on); 金口村's (town B) is off."""
    from hemei.board import services as board

    world.objects["board"] = board.update_board(
        actor=world.cast.victor,
        village=Division.objects.get(code=VILLAGE_A),
        enabled=True,
        welcome="村务公开，欢迎监督。",
        contact="村委会办公室 0532-88512345",
    )


def _notices(world: World) -> None:
    """A notice of 红花山村 running (read by village affairs and its villagers, run by the
    village), with an attachment and vera's open objection."""
    from hemei.notices import services as notices

    c, o = world.cast, world.objects
    with clock.frozen_at(TODAY):
        o["posted_notice"] = notices.post_notice(
            actor=c.victor,
            village=Division.objects.get(code=VILLAGE_A),
            title=f"低保评议结果公示 {MARK}",
            body=f"评议结果 {MARK}",
            days=7,
            files=[SimpleUploadedFile("名单.png", _png(), content_type="image/png")],
        )
        o["notice_file"] = o["posted_notice"].files.get()
        o["notice_objection"] = notices.raise_objection(
            actor=c.vera, notice=o["posted_notice"], reason=f"名单有误 {MARK}"
        )


def _disclosure(world: World) -> None:
    """The default catalogue of the county, an item of 红花山村's own, the village following
    it since 2026-01-01: an event disclosure due (unpublished), and one published with a file
    (what the village's villager may read)."""
    from hemei.disclosure import services as disclosure
    from hemei.disclosure.defaults import default_items

    county = Division.objects.get(code=COUNTY)
    village = Division.objects.get(code=VILLAGE_A)
    cast = world.cast
    with clock.frozen_at(TODAY - dt.timedelta(days=200)):
        for item in default_items(dt.date(2026, 1, 1)):
            values = {name: getattr(item, name) for name in disclosure.ITEM_FIELDS}
            disclosure.save_item(actor=cast.alice, division=county, rule=item.rule(), **values)
        disclosure.adopt(actor=cast.tom, village=village, since=dt.date(2026, 1, 1))
    from hemei.disclosure.timing import parse_timing

    world.objects["village_item"] = disclosure.save_item(
        actor=cast.victor,
        division=village,
        rule=parse_timing("每季度首月15日前"),
        number=1,
        key="village.pond",
        level1=f"鱼塘收益 {MARK}",
        level2="",
        content="鱼塘承包收入",
        basis="",
        publisher="村民委员会",
        channel="公开栏",
        level="village",
        audience="public",
        mask_fields=[],
        valid_from=dt.date(2026, 1, 1),
        valid_to=None,
    )
    with clock.frozen_at(TODAY):
        world.objects["disclosure"] = disclosure.record_event(
            village=village,
            item_key="project.major",
            happened_on=dt.date(2026, 6, 12),
            title=f"村道硬化 {MARK}",
        )
        published = disclosure.record_event(
            village=village,
            item_key="asset.lease",
            happened_on=dt.date(2026, 6, 1),
            title=f"鱼塘发包 {MARK}",
        )
        world.objects["published_disclosure"] = disclosure.publish(
            actor=cast.victor,
            disclosure=published,
            published_on=dt.date(2026, 6, 10),
            text=f"鱼塘发包结果 {MARK}",
            files=[SimpleUploadedFile("公示.pdf", PDF, content_type="application/pdf")],
        )
    world.objects["disclosure_file"] = world.objects["published_disclosure"].files.get()


# --------------------------------------------------------------------------- asking


class Asker:
    """One client per member of the cast (signed in once); every request is undone after."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.clients: dict[str, Client] = {ANONYMOUS: Client()}
        for name in CAST:
            client = Client()
            client.force_login(getattr(world.cast, name))
            self.clients[name] = client
        self.requests = 0
        #: the database as the world left it (each request is rolled back to it)
        self.baseline = fingerprint()

    def ask(
        self,
        who: str,
        method: str,
        url: str,
        *,
        api: bool = False,
        data: Any = None,
        check_unchanged: bool = False,
    ) -> Any:
        """The answer to ``method url`` as ``who``; with ``check_unchanged``, the answer and
        whether the database is exactly as before."""
        client = self.clients[ANONYMOUS] if api else self.clients[who]
        headers = {}
        if api and who != ANONYMOUS:
            headers["Authorization"] = f"Bearer {self.world.tokens[who]}"
        self.requests += 1
        with clock.frozen_at(TODAY), transaction.atomic():
            if method == "GET":
                response = client.get(url, headers=headers)
            elif api:
                body = json.dumps(data if data is not None else {})
                response = client.generic(
                    method, url, body, content_type="application/json", headers=headers
                )
            else:
                response = client.generic(
                    method,
                    url,
                    _encode(data or {}),
                    content_type="application/x-www-form-urlencoded",
                    headers=headers,
                )
            refused = response.status_code in REFUSED
            unchanged = fingerprint() == self.baseline if check_unchanged and refused else None
            transaction.set_rollback(True)
        return response, unchanged


def _places_map(world: World) -> None:
    """The map: a parcel of 红花山村 (its household's by number), the county's basic farmland
    layer (nothing personal, no MARK: the whole county's officials read it) and its map
    settings (no tile service)."""
    from shapely.geometry import box, mapping

    from hemei.places import services as places
    from hemei.places.choices import LayerKind
    from hemei.places.models import MapSettings

    c, o = world.cast, world.objects
    county = Division.objects.get(code=COUNTY)
    village = Division.objects.get(code=VILLAGE_A)
    parcel = box(120.4000, 36.4000, 120.4002, 36.4002)
    places.import_parcels(
        actor=c.victor,
        village=village,
        data=json.dumps(
            {
                "type": "Feature",
                "geometry": mapping(parcel),
                "properties": {"编号": f"MAP-{MARK}", "户号": o["home"].number},
            }
        ),
    )
    o["layer"] = places.upload_layer(
        actor=c.alice,
        county=county,
        kind=LayerKind.BASIC_FARMLAND,
        name="永久基本农田",
        data=json.dumps(
            {"type": "Feature", "geometry": mapping(box(120.39, 36.39, 120.41, 36.41))}
        ),
    )
    o["map_settings"] = MapSettings.objects.create(county=county)


def _encode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


_SKIP_TABLES = ("divisions_", "django_session", "django_migrations", "django_content_type")
#: columns a read may write: a token's last use (every API call stamps it)
_SKIP_COLUMNS = {("api_token", "last_used_at")}


def fingerprint() -> str:
    """A digest of every row of every table the pages may write (not the division tree)."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith(_SKIP_TABLES):
                continue
            columns = [
                f'"{column.name}"'
                for column in connection.introspection.get_table_description(cursor, table)
                if (table, column.name) not in _SKIP_COLUMNS
            ]
            cursor.execute(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY 1')
            digest.update(table.encode())
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()
