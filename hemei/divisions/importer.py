"""Reading the official division table: files in, validated columns out (no database).

The format is the one of the national statistical table as published in five CSV files
(plain or gzipped), one per level; the header names the level:

    provinces  code,name
    cities     code,name,provinceCode
    areas      code,name,cityCode,provinceCode
    streets    code,name,areaCode,provinceCode,cityCode
    villages   code,name,streetCode,provinceCode,cityCode,areaCode

Every problem is reported with the file and line, and reading stops at the first one so
nothing half-read is ever written.

Speed matters (the national table has 665,000 rows and must import in about the time the
``sqlite3`` shell takes), so rows are held as columns and checked with whole-column
operations; the row-by-row loop runs only to word an error message.
"""

from __future__ import annotations

import csv
import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import BinaryIO

from .choices import CODE_LENGTH, Level

#: The column that names the parent, for each level; the province has none.
PARENT_COLUMN: dict[int, str | None] = {
    Level.PROVINCE: None,
    Level.CITY: "provinceCode",
    Level.COUNTY: "cityCode",
    Level.TOWN: "areaCode",
    Level.VILLAGE: "streetCode",
}
LEVEL_COLUMNS: dict[frozenset[str], int] = {
    frozenset({"code", "name"}): Level.PROVINCE,
    frozenset({"code", "name", "provinceCode"}): Level.CITY,
    frozenset({"code", "name", "cityCode", "provinceCode"}): Level.COUNTY,
    frozenset({"code", "name", "areaCode", "provinceCode", "cityCode"}): Level.TOWN,
    frozenset(
        {"code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"}
    ): Level.VILLAGE,
}
FILE_ORDER = ["provinces", "cities", "areas", "streets", "villages"]
BUILTIN_DIR = Path(__file__).resolve().parent / "data"
MAX_NAME_LENGTH = 100


class DivisionFileError(Exception):
    """A division file that cannot be imported; the message names the file and line."""


@dataclass
class LevelRows:
    """The rows of one file, as columns. ``lines[i]`` is the file line of row ``i``."""

    source: str
    level: int
    codes: list[str]
    names: list[str]
    parents: list[str | None]
    lines: list[int] | None = None  # None: row i sits on line i + 2

    def line_of(self, index: int) -> int:
        return self.lines[index] if self.lines is not None else index + 2


@dataclass
class ParsedTable:
    """Everything read from the files of one import, parents' levels first."""

    files: list[LevelRows] = field(default_factory=list)

    @property
    def levels(self) -> set[int]:
        return {rows.level for rows in self.files}

    @property
    def sources(self) -> list[str]:
        return [rows.source for rows in self.files]

    def at_level(self, level: int) -> LevelRows | None:
        return next((rows for rows in self.files if rows.level == level), None)

    def mapping(self) -> dict[str, tuple[str, str | None]]:
        """code → (name, parent), for comparing with what the database holds."""
        result: dict[str, tuple[str, str | None]] = {}
        for rows in self.files:
            result.update(zip(rows.codes, zip(rows.names, rows.parents, strict=True), strict=True))
        return result

    def __len__(self) -> int:
        return sum(len(rows.codes) for rows in self.files)


def discover(path: Path) -> list[Path]:
    """The division files at ``path``: the file itself, or the table's files in a folder."""
    if path.is_dir():
        found = []
        for stem in FILE_ORDER:
            for suffix in (".csv.gz", ".csv"):
                candidate = path / f"{stem}{suffix}"
                if candidate.exists():
                    found.append(candidate)
                    break
        if not found:
            raise DivisionFileError(
                f"{path}: no division files found (expected {', '.join(FILE_ORDER)}"
                " as .csv or .csv.gz)"
            )
        return found
    if not path.exists():
        raise DivisionFileError(f"{path}: no such file or folder")
    return [path]


def builtin_files() -> list[Path]:
    """The national table shipped inside the package."""
    return discover(BUILTIN_DIR)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when gzipped."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DivisionFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as exc:
            raise DivisionFileError(
                f"{path}: the gzip data is truncated or damaged ({exc})"
            ) from None
    return raw


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DivisionFileError(
            f"{path}, line {line}: the file is not UTF-8 text"
            " (save it as UTF-8, the encoding of the official table)"
        ) from None


def parse_header(path: Path, first_line: str) -> list[str]:
    try:
        header = [column.strip() for column in next(csv.reader([first_line]))]
    except (csv.Error, StopIteration) as exc:
        raise DivisionFileError(f"{path}, line 1: the header cannot be read ({exc})") from None
    if frozenset(header) not in LEVEL_COLUMNS or len(header) != len(set(header)):
        expected = " | ".join(",".join(sorted(columns)) for columns in LEVEL_COLUMNS)
        raise DivisionFileError(
            f"{path}, line 1: unknown columns {','.join(header)!r}; expected one of: {expected}"
        )
    return header


def _fast_columns(body: bytes, width: int, name_at: int, keep: set[int]) -> list[list[str]] | None:
    """Split the official shape (only the name quoted, no comma inside it) column-wise.

    Works on the UTF-8 bytes, where splitting is several times faster than on text, and
    decodes each kept column in one go. Answers ``None`` when the body has any other
    shape (or is not UTF-8), which then goes through the csv module row by row.
    """
    if not body or b"\n\n" in body:
        return None
    rows = body.count(b"\n") + 1
    fields = body.replace(b"\n", b",").split(b",")
    if len(fields) != rows * width:
        return None
    raw_columns = [fields[at::width] if at in keep else [] for at in range(width)]
    del fields
    quotes = body.count(b'"')
    if quotes:
        # Every quote must wrap a name: 2 per row, all in the name column, each name
        # opening and closing with one. Checked on the joined column, not name by name.
        joined = b"\n".join(raw_columns[name_at])
        if (
            quotes != 2 * rows
            or joined.count(b'"') != quotes
            or not (joined.startswith(b'"') and joined.endswith(b'"'))
            or joined.count(b'"\n"') != rows - 1
        ):
            return None
        raw_columns[name_at] = [joined[1:-1]]
    columns: list[list[str]] = []
    try:
        for at, column in enumerate(raw_columns):
            if not column:
                columns.append([])
            elif at == name_at and quotes:
                columns.append(column[0].decode().split('"\n"'))
            else:
                columns.append(b"\n".join(column).decode().split("\n"))
    except UnicodeDecodeError:
        return None
    return columns


def _slow_columns(path: Path, lines: list[str], width: int) -> tuple[list[list[str]], list[int]]:
    """The csv module, row by row, for any other valid CSV shape."""
    columns: list[list[str]] = [[] for _ in range(width)]
    numbers: list[int] = []
    reader = csv.reader(lines)
    next(reader)
    try:
        for record in reader:
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line
            if len(record) != width:
                raise DivisionFileError(
                    f"{path}, line {reader.line_num}: {len(record)} fields where the header"
                    f" has {width}"
                )
            for at, value in enumerate(record):
                columns[at].append(value)
            numbers.append(reader.line_num)
    except csv.Error as exc:
        raise DivisionFileError(f"{path}, line {reader.line_num}: {exc}") from None
    return columns, numbers


#: Bytes of decompressed text handled at a time when reading one subtree of a file.
CHUNK_BYTES = 1 << 20


def _blocks(path: Path) -> Iterator[bytes]:
    """The file's bytes (gunzipped when gzipped) in blocks of whole lines, the last one
    possibly without its line end; memory stays at about one block whatever the file's size."""
    try:
        with path.open("rb") as handle:
            gzipped = handle.read(2) == b"\x1f\x8b"
            handle.seek(0)
            stream: BinaryIO = gzip.GzipFile(fileobj=handle) if gzipped else handle  # type: ignore[assignment]
            rest = b""
            while chunk := stream.read(CHUNK_BYTES):
                data = rest + chunk
                cut = data.rfind(b"\n") + 1
                rest = data[cut:]
                if cut:
                    yield data[:cut]
            if rest:
                yield rest
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DivisionFileError(f"{path}: the gzip data is truncated or damaged ({exc})") from None
    except OSError as exc:
        raise DivisionFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def read_subtree(path: Path, under: str) -> LevelRows | None:
    """The rows of one file that lie in ``under``'s subtree or are its ancestors, checked.

    Reads the file as a stream and keeps only those rows: a county's import looks at a few
    hundred rows, not the national table's 665,000 (whose whole-table reading costs
    hundreds of MB). A block of lines without the code's digits is skipped unparsed; rows
    outside the subtree are neither kept nor checked. Answers ``None`` when a quoted field
    near the subtree spans lines; :func:`read_file` then reads the file whole.
    """
    blocks = _blocks(path)
    header_line: str | None = None
    needle = b""
    width = code_at = 0
    line = 0  # file lines consumed so far
    codes: list[str] = []
    records: list[list[str]] = []
    numbers: list[int] = []
    for block in blocks:
        if header_line is None:
            block = block.removeprefix(b"\xef\xbb\xbf")
            first, _, block = block.partition(b"\n")
            line = 1
            header_line = _decode(path, first.rstrip(b"\r"))
            if not header_line.strip():
                raise DivisionFileError(
                    f"{path}, line 1: the file is empty (a header row is expected)"
                )
            header = parse_header(path, header_line)
            level = LEVEL_COLUMNS[frozenset(header)]
            width, code_at = len(header), header.index("code")
            needle = under[: CODE_LENGTH[level]].encode()
        if needle not in block:
            line += block.count(b"\n")
            continue
        for text in block.split(b"\n"):
            line += 1
            if needle not in text:
                continue
            if text.count(b'"') % 2:
                return None  # a quoted field with a line break in it: the csv module's job
            try:
                decoded = text.rstrip(b"\r").decode("utf-8")
            except UnicodeDecodeError:
                raise DivisionFileError(
                    f"{path}, line {line}: the file is not UTF-8 text"
                    " (save it as UTF-8, the encoding of the official table)"
                ) from None
            try:
                record = [value.strip() for value in next(csv.reader([decoded]))]
            except csv.Error as exc:
                raise DivisionFileError(f"{path}, line {line}: {exc}") from None
            if len(record) != width:
                raise DivisionFileError(
                    f"{path}, line {line}: {len(record)} fields where the header has {width}"
                )
            code = record[code_at]
            if code.startswith(under) or under.startswith(code):
                codes.append(code)
                records.append(record)
                numbers.append(line)
        line -= 1  # the split's last piece follows the block's last line end
    if header_line is None:
        raise DivisionFileError(f"{path}, line 1: the file is empty (a header row is expected)")
    level = LEVEL_COLUMNS[frozenset(header)]
    name_at = header.index("name")
    parent_column = PARENT_COLUMN[level]
    parent_at = header.index(parent_column) if parent_column else None
    rows = LevelRows(
        str(path),
        level,
        codes,
        [record[name_at] for record in records],
        [None if parent_at is None else record[parent_at] for record in records],
        numbers,
    )
    _check(rows)
    return rows


def read_file(path: Path, *, under: str | None = None) -> LevelRows:
    """Read and check one division file, or raise :class:`DivisionFileError`.

    With ``under``, only that subtree (and its ancestors) is read, kept and checked.
    """
    if under:
        subtree = read_subtree(path, under)
        if subtree is not None:
            return subtree
    raw = read_bytes(path).removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").rstrip(b"\n")
    first_bytes, _, body_bytes = raw.partition(b"\n")
    first_line = _decode(path, first_bytes)
    if not first_line.strip():
        raise DivisionFileError(f"{path}, line 1: the file is empty (a header row is expected)")
    header = parse_header(path, first_line)
    level = LEVEL_COLUMNS[frozenset(header)]
    width = len(header)
    code_at, name_at = header.index("code"), header.index("name")
    parent_column = PARENT_COLUMN[level]
    keep = {code_at, name_at} | ({header.index(parent_column)} if parent_column else set())
    columns = _fast_columns(body_bytes, width, name_at, keep)
    numbers: list[int] | None = None
    if columns is None:
        body = _decode(path, raw).partition("\n")[2]
        columns, numbers = _slow_columns(path, [first_line, *body.split("\n")], width)
        padded = " " in body or "\t" in body or "\u3000" in body
    else:
        padded = b" " in body_bytes or b"\t" in body_bytes or "\u3000".encode() in body_bytes
    if padded:
        columns = [[value.strip() for value in column] for column in columns]
    codes = columns[code_at]
    names = columns[name_at]
    parents: list[str | None] = (
        [None] * len(codes) if parent_column is None else list(columns[header.index(parent_column)])
    )
    rows = LevelRows(str(path), level, codes, names, parents, numbers)
    _check(rows)
    if under:
        inside = [code.startswith(under) or under.startswith(code) for code in codes]
        rows.codes = list(compress(codes, inside))
        rows.names = list(compress(names, inside))
        rows.parents = list(compress(parents, inside))
        rows.lines = list(compress(numbers or range(2, len(inside) + 2), inside))
    return rows


def _check(rows: LevelRows) -> None:
    """Whole-column checks; the first failing row is then looked up for the message."""
    length = CODE_LENGTH[rows.level]
    codes, names, parents = rows.codes, rows.names, rows.parents
    kind = Level(rows.level).name.lower()
    if not (set(map(len, codes)) <= {length} and "".join(codes).isdigit()):
        at = next(i for i, code in enumerate(codes) if len(code) != length or not code.isdigit())
        _fail(rows, at, f"code {codes[at]!r} is not a {length}-digit {kind} code")
    if names and (min(map(len, names)) == 0 or max(map(len, names)) > MAX_NAME_LENGTH):
        at = next(i for i, name in enumerate(names) if not 0 < len(name) <= MAX_NAME_LENGTH)
        _fail(rows, at, f"the name of {codes[at]} is empty or longer than {MAX_NAME_LENGTH}")
    if rows.level != Level.PROVINCE:
        parent_length = CODE_LENGTH[rows.level - 1]
        typed = [parent or "" for parent in parents]
        if not (set(map(len, typed)) <= {parent_length} and all(map(str.startswith, codes, typed))):
            at = next(
                i
                for i, (code, parent) in enumerate(zip(codes, typed, strict=True))
                if len(parent) != parent_length or not code.startswith(parent)
            )
            _fail(rows, at, f"code {codes[at]} does not lie under its parent {typed[at]!r}")
    if len(set(codes)) != len(codes):
        seen: dict[str, int] = {}
        for i, code in enumerate(codes):
            if code in seen:
                _fail(
                    rows, i, f"duplicate code {code} (already on line {rows.line_of(seen[code])})"
                )
            seen[code] = i


def _fail(rows: LevelRows, index: int, message: str) -> None:
    raise DivisionFileError(f"{rows.source}, line {rows.line_of(index)}: {message}")


def read_files(paths: list[Path], *, under: str | None = None) -> ParsedTable:
    """Read several files into one table, parents' levels first.

    Codes of different levels differ in length, so a code can appear twice only through two
    files of one level, which is refused.
    """
    parsed = sorted((read_file(path, under=under) for path in paths), key=lambda r: r.level)
    table = ParsedTable()
    for rows in parsed:
        if any(other.level == rows.level for other in table.files):
            raise DivisionFileError(f"{rows.source}: a second file for the same level")
        table.files.append(rows)
    return table
