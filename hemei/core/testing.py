"""The named cast every test uses, built once per test on the real 即墨区 divisions.

alice  county administrator of 即墨区 (370215)
lily   leader of 即墨区
dan    department staff of 区农业农村局
tom    town official of town A, 田横镇 (370215100)
victor village official of 红花山村 (370215100214), in town A
vera   villager of 红花山村
owen   town official of town B, 金口镇 (370215101): the outsider
nora   an account with no role at all
"""

from __future__ import annotations

from dataclasses import dataclass

from hemei.accounts.models import RoleAssignment, User
from hemei.divisions.models import Division
from hemei.units.models import Unit

COUNTY = "370215"
TOWN_A = "370215100"
TOWN_B = "370215101"
VILLAGE_A = "370215100214"
VILLAGE_B = "370215101230"  # 金口村, in town B
PASSWORD = "Test-password-2026"


def ensure_divisions() -> None:
    """The 即墨区 subtree (and its ancestors) from the packaged national table."""
    if not Division.objects.filter(code=COUNTY).exists():
        from hemei.divisions.services import import_builtin

        import_builtin(under=COUNTY)


@dataclass
class Cast:
    alice: User
    lily: User
    dan: User
    tom: User
    victor: User
    vera: User
    owen: User
    nora: User
    unit: Unit


def _person(username: str, full_name: str, division: str | None, phone: str = "") -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        full_name=full_name,
        division_id=division,
        phone=phone,
    )


def build_cast() -> Cast:
    ensure_divisions()
    unit = Unit.objects.create(
        name="区农业农村局", short_name="农业农村局", kind="department", division_id=COUNTY
    )
    people = {
        "alice": (_person("alice", "安丽", COUNTY, "13905321001"), "county_admin", COUNTY, None),
        "lily": (_person("lily", "李丽", COUNTY, "13905321002"), "leader", COUNTY, None),
        "dan": (_person("dan", "丁丹", COUNTY, "13905321003"), "department", COUNTY, unit),
        "tom": (_person("tom", "唐涛", TOWN_A, "13905321004"), "town_official", TOWN_A, None),
        "victor": (
            _person("victor", "魏村", VILLAGE_A, "13905321005"),
            "village_official",
            VILLAGE_A,
            None,
        ),
        "vera": (_person("vera", "韦拉", VILLAGE_A, "13905321006"), "villager", VILLAGE_A, None),
        "owen": (_person("owen", "欧文", TOWN_B, "13905321007"), "town_official", TOWN_B, None),
    }
    for user, role, division, role_unit in people.values():
        RoleAssignment.objects.create(user=user, role=role, division_id=division, unit=role_unit)
    nora = _person("nora", "诺拉", COUNTY)
    return Cast(**{name: value[0] for name, value in people.items()}, nora=nora, unit=unit)


def run_worker() -> None:
    """Run the real database worker once over the queue of background tasks, then give
    pytest its signal handlers back (the worker installs its own)."""
    import signal

    from django.core.management import call_command

    signals = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGQUIT"):  # not on Windows
        signals.append(signal.SIGQUIT)
    saved = {sig: signal.getsignal(sig) for sig in signals}
    try:
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def photo(width: int = 64, height: int = 48, taken: str | None = None) -> bytes:
    """A real JPEG, optionally with an EXIF DateTimeOriginal like ``2026:11:20 10:30:00``."""
    import io

    from PIL import Image

    image = Image.new("RGB", (width, height), (70, 140, 60))
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken  # Exif IFD → DateTimeOriginal
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def zip_bomb_xlsx(unpacked_mb: int = 100) -> bytes:
    """A real .xlsx of a few hundred KB whose sheet unpacks to ``unpacked_mb`` MB of cells."""
    import io
    import zipfile

    from openpyxl import Workbook

    small = io.BytesIO()
    book = Workbook()
    book.active.append(["户号", "姓名", "与户主关系"])
    book.save(small)
    sheet_path = "xl/worksheets/sheet1.xml"
    row = "".join(
        f'<c t="inlineStr"><is><t>{"x" * 40}</t></is></c>' for _column in range(20)
    ).encode()
    chunk = (b"<row>" + row + b"</row>") * 200
    out = io.BytesIO()
    with (
        zipfile.ZipFile(small) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            if item.filename != sheet_path:
                bomb.writestr(item.filename, source.read(item.filename))
        with bomb.open(sheet_path, "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            written = 0
            while written < unpacked_mb * 1024 * 1024:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def png_bomb(width: int = 20000, height: int = 20000) -> bytes:
    """A real black-and-white PNG of ``width`` × ``height`` pixels in a few tens of KB."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    line = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte, then 1 bit per pixel
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(line) for _row in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
