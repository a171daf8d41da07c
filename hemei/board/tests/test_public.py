"""The public board: no login, 404 unless a village turned it on, nothing personal (the
guard drops an item carrying an ID or mobile number), rate-limited, cacheable (304)."""

from __future__ import annotations

import datetime as dt
import logging
import re
import xml.etree.ElementTree as ET

import pytest
import segno
from django.conf import settings
from django.test import Client

from hemei.board import services
from hemei.board.sections import BoardItem, Section, register, unregister
from hemei.core import clock
from hemei.core.testing import COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B, Cast
from hemei.divisions.models import Division

from .conftest import NOW
from .helpers import published_decision, turn_on

URL = f"/board/{VILLAGE_A}/"


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def extra_section():
    """A section of the test's own; the test sets what it gives."""
    given: list[BoardItem] = []
    section = Section(key="test-extra", title="测试栏目", order=99, items=lambda v, t: given)
    register(section)
    yield given
    unregister("test-extra")


@pytest.mark.django_db
def test_anyone_reads_a_villages_board_with_its_place_and_sections(
    cast: Cast, anonymous: Client
) -> None:
    turn_on(cast)
    published_decision(cast, result=True)
    response = anonymous.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("红花山村", "田横镇", "即墨区", "村务公开栏", "村务公开，欢迎监督。"):
        assert text in page
    assert "咨询和异议：村委会办公室 0532-88512345" in page
    # the published resolution and result, with their kind and date
    assert "民主决策（四议两公开）" in page
    assert "村集体鱼塘对外发包" in page
    assert "鱼塘以公开竞价方式发包" in page and "年租金2.4万元" in page
    assert "2026-06-10" in page and "2026-06-12" in page
    # nothing of who recorded it, nor the meetings' counts
    assert cast.victor.full_name not in page and "victor" not in page
    assert "实到" not in page and "纪要" not in page
    # a public page: no form, no session, no one's name at the top
    assert "csrfmiddlewaretoken" not in page and "Log out" not in page
    assert '<meta name="viewport"' in page


@pytest.mark.django_db
def test_a_signed_in_official_gets_the_same_public_page(cast: Cast, client: Client) -> None:
    turn_on(cast)
    client.force_login(cast.victor)
    mine = client.get(URL)
    theirs = Client().get(URL)
    assert mine.status_code == 200 and mine.content == theirs.content
    assert mine["ETag"] == theirs["ETag"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code",
    [
        VILLAGE_B,  # a village whose board was never turned on
        COUNTY,
        TOWN_A,
        "370215100999",  # no such village
        "abc",
        "3702151002141",
        "３７０２１５１００２１４",  # full-width digits
    ],
)
@pytest.mark.parametrize("tail", ["", "qr.svg", "poster/"])
def test_no_board_is_a_404_on_every_public_page(
    cast: Cast, anonymous: Client, code: str, tail: str
) -> None:
    turn_on(cast)
    response = anonymous.get(f"/board/{code}/{tail}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_board_turned_off_is_a_404_again(cast: Cast, anonymous: Client) -> None:
    turn_on(cast)
    assert anonymous.get(URL).status_code == 200
    services.update_board(
        actor=cast.tom, village=Division.objects.get(code=VILLAGE_A), enabled=False
    )
    for tail in ("", "qr.svg", "poster/"):
        assert anonymous.get(f"{URL}{tail}").status_code == 404


@pytest.mark.django_db
def test_writing_to_a_public_page_is_not_allowed(cast: Cast, anonymous: Client) -> None:
    turn_on(cast)
    assert anonymous.post(URL, {"x": "1"}).status_code == 405


# --------------------------------------------------------------------------- the guard


@pytest.mark.django_db
def test_the_guard_drops_an_item_with_an_id_or_mobile_number_and_logs_it(
    cast: Cast, anonymous: Client, extra_section: list[BoardItem], caplog
) -> None:
    turn_on(cast)
    extra_section += [
        BoardItem(title="低保名单公示", date=dt.date(2026, 6, 1), body="张三 370215198001011234"),
        BoardItem(title="联系人", date=None, period="138 无", status="13812345678"),
        BoardItem(
            title="附件里的号码",
            date=None,
            attachments=(("名单", "/media/13912345678.pdf"),),
        ),
        BoardItem(title="道路硬化工程公示", date=dt.date(2026, 6, 2), body="联系电话 139****5678"),
    ]
    with caplog.at_level(logging.WARNING, logger="hemei.board.selectors"):
        page = anonymous.get(URL).content.decode()
    assert "道路硬化工程公示" in page and "139****5678" in page
    for hidden in ("低保名单公示", "370215198001011234", "联系人", "13812345678", "附件里的号码"):
        assert hidden not in page
    dropped = [r for r in caplog.records if "dropped" in r.getMessage()]
    assert len(dropped) == 3
    assert all("test-extra" in r.getMessage() and VILLAGE_A in r.getMessage() for r in dropped)
    # the log names the field, never the number
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "370215198001011234" not in logged and "13812345678" not in logged


@pytest.mark.django_db
def test_a_link_that_is_no_plain_address_is_left_off(
    cast: Cast, anonymous: Client, extra_section: list[BoardItem]
) -> None:
    turn_on(cast)
    extra_section.append(
        BoardItem(
            title="项目公示",
            date=None,
            attachments=(
                ("预算表", "/media/budget.xlsx"),
                ("坏链接", "javascript:alert(1)"),
                ("外站", "//evil.example/x"),
            ),
        )
    )
    page = anonymous.get(URL).content.decode()
    assert 'href="/media/budget.xlsx"' in page
    assert "javascript:" not in page and "evil.example" not in page


@pytest.mark.django_db
def test_settings_that_hold_a_mobile_number_never_reach_the_page(
    cast: Cast, anonymous: Client
) -> None:
    board = turn_on(cast)
    # written past the service (which refuses it), as an old row or a bad import might be
    type(board).objects.filter(pk=board.pk).update(contact="刘主任 13905320006")
    page = anonymous.get(URL).content.decode()
    assert "13905320006" not in page and "刘主任" not in page


@pytest.mark.django_db
def test_text_is_escaped(cast: Cast, anonymous: Client, extra_section: list[BoardItem]) -> None:
    turn_on(cast, welcome="<script>alert(1)</script>")
    extra_section.append(BoardItem(title="<b>粗</b>", date=None))
    page = anonymous.get(URL).content.decode()
    assert "<script>alert" not in page and "<b>粗</b>" not in page
    assert "&lt;b&gt;粗&lt;/b&gt;" in page


# --------------------------------------------------------------------------- caching


@pytest.mark.django_db
def test_the_board_is_public_and_cacheable_the_deliberate_exception_to_no_store(
    cast: Cast, anonymous: Client
) -> None:
    turn_on(cast)
    assert "board" not in settings.NO_STORE_APPS
    for tail in ("", "qr.svg", "poster/"):
        response = anonymous.get(f"{URL}{tail}")
        control = response["Cache-Control"]
        assert "public" in control and "max-age=300" in control, control
        assert "no-store" not in control and "private" not in control
        assert response["ETag"].startswith('"')
        # rendered without the session: the same page for everyone, kept by any cache
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies
        assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_a_personal_page_still_gets_no_store(cast: Cast, client: Client) -> None:
    client.force_login(cast.victor)
    response = client.get("/households/")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_conditional_get_answers_304_until_the_board_changes(
    cast: Cast, anonymous: Client
) -> None:
    turn_on(cast)
    first = anonymous.get(URL)
    etag = first["ETag"]
    again = anonymous.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "max-age=300" in again["Cache-Control"]
    assert anonymous.get(URL, headers={"If-None-Match": '"other"'}).status_code == 200
    # a new publication changes the page: the old tag no longer matches
    published_decision(cast)
    changed = anonymous.get(URL, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    qr_tag = anonymous.get(f"{URL}qr.svg")["ETag"]
    assert anonymous.get(f"{URL}qr.svg", headers={"If-None-Match": qr_tag}).status_code == 304


@pytest.mark.django_db
def test_the_page_varies_by_language(cast: Cast, anonymous: Client) -> None:
    turn_on(cast)
    chinese = anonymous.get(URL, headers={"Accept-Language": "zh-hans"})
    english = anonymous.get(URL, headers={"Accept-Language": "en"})
    assert "村务公开栏" in chinese.content.decode()
    assert "Village affairs public board" in english.content.decode()
    assert chinese["ETag"] != english["ETag"]
    assert "Accept-Language" in english["Vary"]


# --------------------------------------------------------------------------- rate limit


@pytest.mark.django_db
def test_too_many_requests_from_one_address_get_429_until_the_next_minute(
    cast: Cast, anonymous: Client, settings
) -> None:
    settings.HEMEI_BOARD_RATE_LIMIT = 3
    turn_on(cast)
    answers = [anonymous.get(URL).status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    refused = anonymous.get(f"{URL}qr.svg")  # every public page counts
    assert refused.status_code == 429
    assert "访问过于频繁" in refused.content.decode()
    assert refused["Retry-After"] == str(60 - NOW.second)
    assert "no-store" in refused["Cache-Control"] or "no-cache" in refused["Cache-Control"]
    # 404s count as much (no probing for codes): still refused
    assert anonymous.get(f"/board/{VILLAGE_B}/").status_code == 429
    # another address is not held back
    assert anonymous.get(URL, REMOTE_ADDR="10.0.0.9").status_code == 200
    with clock.frozen_at(NOW + dt.timedelta(seconds=60)):
        assert anonymous.get(URL).status_code == 200


@pytest.mark.django_db
def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(
    cast: Cast, anonymous: Client, settings
) -> None:
    settings.HEMEI_BOARD_RATE_LIMIT = 1
    turn_on(cast)
    assert anonymous.get(URL, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    # not trusted: a forged header does not buy a fresh count
    assert anonymous.get(URL, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429
    settings.HEMEI_TRUST_X_FORWARDED_FOR = True
    # trusted: the address the proxy appended (the last one) is the client's
    assert anonymous.get(URL, HTTP_X_FORWARDED_FOR="9.9.9.9, 3.3.3.3").status_code == 200
    assert anonymous.get(URL, HTTP_X_FORWARDED_FOR="8.8.8.8, 3.3.3.3").status_code == 429
    assert anonymous.get(URL, HTTP_X_FORWARDED_FOR="3.3.3.3, 4.4.4.4").status_code == 200


@pytest.mark.django_db
def test_no_limit_when_the_setting_is_zero(cast: Cast, anonymous: Client, settings) -> None:
    settings.HEMEI_BOARD_RATE_LIMIT = 0
    turn_on(cast)
    assert {anonymous.get(URL).status_code for _ in range(5)} == {200}


# --------------------------------------------------------------------------- QR and poster


def _modules(svg: bytes) -> tuple[int, set[tuple[int, int]]]:
    """The dark modules segno's SVG path draws (x, y), in module units, and its scale."""
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    (group,) = root.iter("{http://www.w3.org/2000/svg}g")
    scale = int(re.fullmatch(r"scale\((\d+)\)", group.get("transform")).group(1))
    background, path = group.iter("{http://www.w3.org/2000/svg}path")
    assert background.get("fill") == "#fff"  # printed dark on white, whatever the paper
    assert path.get("class") == "qrline" and path.get("stroke") == "#000"
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for op, a, b in re.findall(r"([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", path.get("d")):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            length = float(a) if op == "h" else float(a) - x
            dark |= {(int(x) + i, int(y)) for i in range(int(length))}
            x += length
    return scale, dark


@pytest.mark.django_db
def test_the_qr_code_is_an_svg_of_the_boards_absolute_address(
    cast: Cast, anonymous: Client, settings
) -> None:
    """No QR decoder is installed: the test reads the modules the SVG draws and checks they
    are exactly the symbol of the board's address (segno's encoding of it, quiet zone of
    four), so the code holds that address and nothing else."""
    turn_on(cast)
    response = anonymous.get(f"{URL}qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    scale, dark = _modules(response.content)
    expected_url = f"http://testserver/board/{VILLAGE_A}/"
    symbol = segno.make_qr(expected_url, error="m")
    size = symbol.symbol_size(scale=1, border=0)[0]
    expected = {
        (col + 4, row + 4)
        for row, line in enumerate(symbol.matrix)
        for col, bit in enumerate(line)
        if bit
    }
    assert dark == expected and scale == 10
    root = ET.fromstring(response.content)
    assert int(root.get("width")) == (size + 8) * 10
    assert root.find("{http://www.w3.org/2000/svg}title").text.startswith("红花山村")
    # the address people reach the platform at, when it is configured
    settings.HEMEI_SITE_URL = "https://hemei.jimo.gov.cn"
    _scale, dark = _modules(anonymous.get(f"{URL}qr.svg").content)
    other = segno.make_qr(f"https://hemei.jimo.gov.cn/board/{VILLAGE_A}/", error="m")
    assert dark == {
        (c + 4, r + 4) for r, line in enumerate(other.matrix) for c, bit in enumerate(line) if bit
    }


@pytest.mark.django_db
def test_the_poster_is_a_printable_a4_page_with_the_code_and_one_line(
    cast: Cast, anonymous: Client
) -> None:
    turn_on(cast)
    response = anonymous.get(f"{URL}poster/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "红花山村" in page and "田横镇" in page
    assert "手机扫码，查看本村公示公告、民主决策和村务公开。" in page
    assert f"http://testserver/board/{VILLAGE_A}/" in page
    assert '<svg viewBox="0 0 ' in page and 'class="qr"' in page
    assert "board-public.css" in page and "<style" not in page and "<script" not in page


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_however_much_is_posted(
    cast: Cast, anonymous: Client
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    turn_on(cast)
    published_decision(cast, title="第一件事", result=True)
    with CaptureQueriesContext(connection) as one:
        assert anonymous.get(URL).status_code == 200
    published_decision(cast, title="第二件事", result=True)
    published_decision(cast, title="第三件事")
    with CaptureQueriesContext(connection) as three:
        page = anonymous.get(URL).content.decode()
    # flat: the board, its settings and a query or two per registered section
    assert "第三件事" in page and len(three) == len(one) <= 10
