"""Reading one export file into DuckDB as text: encoding, checksum, header, physical lines.

Every file becomes a relation of VARCHAR columns ``c0, c1, …`` (by position) plus ``_line``,
the physical line where each record starts (the header is line 1). Validation happens later,
in SQL, so nothing here interprets a value.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import duckdb
import numpy as np
import polars as pl

CHUNK = 16 * 1024 * 1024
DATA_SUFFIXES = (".csv", ".parquet", ".xlsx")
UTF8 = "utf-8"
GB18030 = "gb18030"


#: text encodings a CSV may be read in (by their codec names): an allow-list, because Python's
#: codec registry also holds bz2_codec, zlib_codec and rot13, which would turn a few kilobytes
#: into gigabytes or garble text
TEXT_ENCODINGS = frozenset(
    codecs.lookup(e).name
    for e in (
        "utf-8",
        "utf-8-sig",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
        "utf-32-le",
        "utf-32-be",
        "ascii",
        "gbk",
        "gb2312",
        "gb18030",
        "hz",
        "big5",
        "big5hkscs",
        "cp950",
        "latin-1",
        "iso8859-15",
        "cp1252",
        "cp1250",
        "cp1251",
        "shift_jis",
        "cp932",
        "euc_jp",
        "euc_kr",
        "cp949",
    )
)


def text_encoding(name: str) -> str:
    """``name`` if it is an allowed text encoding (any alias Python knows: GBK, cp936, UTF8…),
    else ValueError naming the allowed ones."""
    try:
        canonical = codecs.lookup(name.strip()).name
    except LookupError:
        canonical = None
    if canonical not in TEXT_ENCODINGS:
        raise ValueError(
            f"unknown or not a text encoding {name!r} (use one of UTF-8, UTF-8-SIG, UTF-16, "
            "GBK, GB18030, Big5, Big5-HKSCS, Latin-1, CP1252, …)"
        )
    return name.strip()


class RefusedFile(Exception):
    """The file cannot be read at all; it is refused whole with this message."""


@dataclass(frozen=True)
class FileFacts:
    """What one pass over the bytes tells: checksum, size, encoding, newline count."""

    sha256: str
    size: int
    encoding: str | None
    newlines: int
    ends_with_newline: bool


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file (from a mapping, else the canonical defaults)."""

    encoding: str | None = None
    delimiter: str = ","
    skip_rows: int = 0
    header_rows: int = 1
    sheet: str | int | None = None


@dataclass
class RawFile:
    """A file opened in DuckDB: ``relation`` is a (lazy) view with ``c0…`` and ``_line``.

    For CSV, ``_line`` assumes one physical line per record; :func:`true_start_lines` says
    whether that held once the rows are counted, and gives the real lines when it did not.
    """

    headers: list[str]
    relation: str
    encoding: str | None
    source: Path | None = None
    facts: FileFacts | None = None
    leading_lines: int = 0
    segment: Segment | None = None
    delimiter: str = ","

    @property
    def first_line(self) -> int:
        return self.leading_lines + 1


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def inspect_file(path: Path, forced_encoding: str | None = None) -> FileFacts:
    """Checksum the file and find its encoding: strict UTF-8 (BOM allowed), else strict
    GB18030, else None (refused). Parquet and xlsx carry their own encoding."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(UTF8)(errors="strict")
    utf8_ok = True
    newlines = 0
    last = b""
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
            if utf8_ok:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
    if utf8_ok:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    if path.suffix.lower() != ".csv":
        encoding = None
    elif forced_encoding:
        encoding = forced_encoding
    elif utf8_ok:
        encoding = UTF8
    elif _decodes(path, GB18030):
        encoding = GB18030
    else:
        raise RefusedFile("encoding is neither UTF-8 nor GB18030 (use --encoding)")
    return FileFacts(digest.hexdigest(), path.stat().st_size, encoding, newlines, last == b"\n")


def as_utf8(path: Path, encoding: str, work_dir: Path) -> Path:
    """The path of a UTF-8 copy of ``path`` (the file itself when it already is UTF-8)."""
    if codecs.lookup(encoding).name == UTF8:
        return path
    target = Path(tempfile.mkstemp(suffix=".csv", dir=work_dir)[1])
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as src, target.open("w", encoding=UTF8, newline="") as dst:
            while chunk := src.read(CHUNK):
                dst.write(decoder.decode(chunk))
            dst.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        raise RefusedFile(f"not valid {encoding}: {exc.reason} at byte {exc.start}") from exc
    return target


def _lines_of(fh, limit: int, counter: list[int]) -> Iterator[str]:
    """Physical lines of a binary file as text, counting the bytes handed out (so the caller
    knows where the next line starts); a line longer than ``limit`` bytes refuses the file."""
    first = True
    while line := fh.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            raise RefusedFile(f"a title or header line is longer than {limit:,} bytes")
        counter[0] += len(line)
        text = line.decode(UTF8, errors="replace")
        if first:
            text, first = text.removeprefix("\ufeff"), False
        yield text


@dataclass(frozen=True)
class Leading:
    """The title lines and header records before a CSV's body, and where the body starts."""

    title: list[str]
    header: list[list[str]]
    lines: int  # physical lines they span
    body_offset: int  # byte where the body starts
    quoted: bool  # a quote character occurs in them


def _leading_records(path: Path, opts: ReadOptions, limit: int = 1 << 24) -> Leading:
    """The title rows (``skip_rows`` physical lines, free text: quotes and commas in them mean
    nothing) and the ``header_rows`` header records after them (parsed as CSV, so a quoted
    header cell may hold line breaks)."""
    consumed = [0]
    with path.open("rb") as fh:
        lines = _lines_of(fh, limit, consumed)
        title = [t for _, t in zip(range(opts.skip_rows), lines, strict=False)]
        if len(title) < opts.skip_rows:
            raise RefusedFile("the file has no header row")
        reader = csv.reader(lines, delimiter=opts.delimiter)
        header = [row for _, row in zip(range(opts.header_rows), reader, strict=False)]
        header_lines = reader.line_num
        offset = consumed[0]
    if len(header) < opts.header_rows or not any(c.strip() for r in header for c in r):
        raise RefusedFile("the file has no header row")
    with path.open("rb") as fh:
        quoted = b'"' in fh.read(offset)
    return Leading(title, header, opts.skip_rows + header_lines, offset, quoted)


def join_header_rows(rows: list[list[str]]) -> list[str]:
    """One name per column; several header rows join with a newline (two-line headers)."""
    width = max(len(r) for r in rows)
    padded = [r + [""] * (width - len(r)) for r in rows]
    return [
        "\n".join(part.strip() for part in parts if part.strip())
        for parts in zip(*padded, strict=True)
    ]


@dataclass
class RecordMap:
    """Every record of a CSV body (blank ones too), as a parser that follows DuckDB's quoting
    sees it: the physical line where each starts and the byte where each ends (its newline)."""

    start_line: np.ndarray
    end_byte: np.ndarray
    end_line: np.ndarray
    blank: np.ndarray

    def index_of(self, byte_pos: np.ndarray) -> np.ndarray:
        """The record holding each (0-based) byte position."""
        return np.minimum(
            np.searchsorted(self.end_byte, byte_pos, side="left"), len(self.end_byte) - 1
        )

    def span(self, i: int) -> int:
        """How many physical lines record ``i`` spans."""
        return int(self.end_line[i] - self.start_line[i]) + 1


def record_map(path: Path, delimiter: str = ",") -> RecordMap:
    """Records of a CSV file, vectorised over the bytes: a newline ends a record when the
    number of quote characters before it is even. A quote counts only next to a delimiter, a
    line end, the file's ends or another quote (as DuckDB reads it, a quote inside an unquoted
    value, ``5" screen``, is text)."""
    delim = delimiter.encode(UTF8) or b","
    d_first, d_last = delim[0], delim[-1]
    ends: list[np.ndarray] = []
    nl_lines: list[np.ndarray] = []
    parity, line_base, offset, prev = 0, 0, 0, ord("\n")
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            nxt = fh.peek(1)[:1] if hasattr(fh, "peek") else b""
            data = np.frombuffer(chunk, dtype=np.uint8)
            # only the quotes' neighbours are looked at: most bytes are not quotes
            q_pos = np.flatnonzero(data == 34)
            if len(q_pos):
                nb = data[np.maximum(q_pos - 1, 0)]
                nb[q_pos == 0] = prev
                na = data[np.minimum(q_pos + 1, len(data) - 1)]
                na[q_pos == len(data) - 1] = nxt[0] if nxt else 10
                edge_b = (nb == d_last) | (nb == 10) | (nb == 13) | (nb == 34)
                edge_a = (na == d_first) | (na == 10) | (na == 13) | (na == 34)
                q_pos = q_pos[edge_b | edge_a]
            nl_pos = np.flatnonzero(data == ord("\n"))
            before_nl = np.searchsorted(q_pos, nl_pos) + parity
            is_end = (before_nl % 2) == 0
            ends.append(nl_pos[is_end] + offset)
            nl_lines.append(line_base + np.arange(1, len(nl_pos) + 1)[is_end])
            parity = (parity + len(q_pos)) % 2
            line_base += len(nl_pos)
            offset += len(chunk)
            prev = int(data[-1])
    end_byte = np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64)
    end_line = np.concatenate(nl_lines) if nl_lines else np.zeros(0, dtype=np.int64)
    start_line = np.concatenate(([1], end_line + 1))
    if len(end_byte) and end_byte[-1] == offset - 1 or offset == 0:
        start_line = start_line[:-1]
    else:  # a last record without a final newline
        end_byte = np.concatenate((end_byte, [offset]))
        end_line = np.concatenate((end_line, [line_base + 1]))
    starts = np.concatenate(([-1], end_byte[:-1]))
    length = end_byte - starts - 1
    blank = length == 0
    one = np.flatnonzero(length == 1)
    if len(one):  # a record of a lone "\r" is blank too (CRLF files)
        data = np.memmap(path, dtype=np.uint8, mode="r")
        blank[one] = data[end_byte[one] - 1] == ord("\r")
        del data
    return RecordMap(
        start_line.astype(np.int64), end_byte.astype(np.int64), end_line.astype(np.int64), blank
    )


def record_map_exact(path: Path, delimiter: str = ",") -> RecordMap:
    """The same map from Python's CSV parser, whose quoting follows DuckDB's more closely
    than the vectorised count (a closing quote followed by text, quotes inside a quoted value
    that are not doubled). One pass per record in C-backed Python: used only when the
    vectorised map and DuckDB disagree on the number of records (cost in docs/loading.md)."""
    nl = np.flatnonzero(np.fromfile(path, dtype=np.uint8) == ord("\n"))
    size = path.stat().st_size
    starts, blanks = [], []
    with path.open(encoding=UTF8, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        line = 1
        for row in reader:
            starts.append(line)
            blanks.append(not row)
            line = reader.line_num + 1
    start_line = np.asarray(starts, dtype=np.int64)
    total = len(nl) + (0 if size and len(nl) and nl[-1] == size - 1 else 1)
    next_start = np.concatenate((start_line[1:], [total + 1]))
    end_line = next_start - 1  # the record's last physical line
    end_byte = np.where(end_line <= len(nl), nl[np.minimum(end_line, len(nl)) - 1], size)
    return RecordMap(
        start_line, end_byte.astype(np.int64), end_line, np.asarray(blanks, dtype=bool)
    )


@dataclass
class Segment:
    """The part of a CSV body DuckDB reads in one scan: ``path`` from its first byte, skipping
    ``skip`` physical lines (holding no quote); its line 1 is line ``line_offset + 1`` of the
    original file."""

    path: Path
    skip: int
    line_offset: int
    physical_lines: int


def open_segment(
    con: duckdb.DuckDBPyConnection,
    seg: Segment,
    width: int,
    opts: ReadOptions,
    name: str,
    max_line_size: int,
    *,
    lenient: bool = False,
) -> None:
    """A view ``name`` of the segment's records (``c0…``, ``_line`` = line_offset + skip +
    record number): a record with the wrong number of fields, an unterminated quote or a
    line over ``max_line_size`` bytes goes to the scan's rejects table ``{name}_rj`` instead
    of failing the scan. ``lenient`` turns DuckDB's strict mode off, for a body whose quotes
    its strict parser cannot follow at all (it then stops with "invalid state")."""
    con.execute(f"DROP TABLE IF EXISTS {name}_rj")
    con.execute(f"DROP TABLE IF EXISTS {name}_rs")
    columns = {f"c{i}": "VARCHAR" for i in range(width)}
    # the relation API takes the path as a value: nothing from the file system enters SQL text
    con.read_csv(
        str(seg.path),
        header=False,
        skiprows=seg.skip,
        columns=columns,
        auto_detect=False,
        delimiter=opts.delimiter,
        quotechar='"',
        escapechar='"',
        store_rejects=True,
        rejects_table=f"{name}_rj",
        rejects_scan=f"{name}_rs",
        max_line_size=max_line_size,
        strict_mode=not lenient,
    ).create_view(f"{name}_csv")
    base = seg.line_offset + seg.skip
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {name} AS "
        f"SELECT *, row_number() OVER () + {base} AS _line FROM {name}_csv"
    )


def segment_rejects(con: duckdb.DuckDBPyConnection, name: str, text_max: int) -> list[tuple]:
    """(0-based byte in the segment, DuckDB's error type, its message, the record's text cut
    to ``text_max`` characters) of every record the last scan of ``name`` set aside."""
    try:
        return con.execute(
            f"""SELECT coalesce(byte_position, line_byte_position, 1) - 1, CAST(error_type AS
                VARCHAR), error_message, left(csv_line, {int(text_max)})
            FROM {name}_rj ORDER BY 1"""
        ).fetchall()
    except duckdb.CatalogException:  # the scan set nothing aside (no table was made)
        return []


def copy_tail(source: Path, offset: int, work_dir: Path) -> tuple[Path, int]:
    """A copy of ``source`` from byte ``offset`` on, and its number of physical lines."""
    target = Path(tempfile.mkstemp(suffix=".csv", dir=work_dir)[1])
    newlines, last = 0, b""
    with source.open("rb") as src, target.open("wb") as dst:
        src.seek(offset)
        while chunk := src.read(CHUNK):
            dst.write(chunk)
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    return target, newlines + (0 if last in (b"\n", b"") else 1)


def line_text(path: Path, start_byte: int, limit: int) -> tuple[str, int]:
    """The physical line starting at ``start_byte`` (cut to ``limit`` bytes) and the byte
    after its newline."""
    with path.open("rb") as fh:
        fh.seek(start_byte)
        raw = fh.readline(limit)
        end = fh.tell()
        if not raw.endswith(b"\n"):
            rest = fh.readline()
            while rest and not rest.endswith(b"\n"):
                rest = fh.readline(CHUNK)
            end = fh.tell()
    return raw.decode(UTF8, errors="replace").rstrip("\r\n"), end


def read_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    facts: FileFacts,
    opts: ReadOptions,
    work_dir: Path,
    name: str,
) -> RawFile:
    """Open a CSV file as text columns ``c0…``; rows are numbered assuming one line each. The
    body is read later, segment by segment (:func:`open_segment`)."""
    source = as_utf8(path, facts.encoding or UTF8, work_dir)
    leading = _leading_records(source, opts)
    headers = join_header_rows(leading.header)
    physical = facts.newlines + (0 if facts.ends_with_newline else 1)
    if source != path:  # a transcoded copy: count its lines again
        physical = _physical_lines(source)
    if leading.quoted:
        # DuckDB's skip counts records; quotes before the body would make it count them
        # otherwise than we did, so DuckDB reads a copy of the body alone
        body, body_lines = copy_tail(source, leading.body_offset, work_dir)
        seg = Segment(body, 0, leading.lines, body_lines)
    else:
        seg = Segment(source, leading.lines, 0, physical)
    return RawFile(
        headers,
        name,
        facts.encoding,
        source,
        facts,
        leading.lines,
        segment=seg,
        delimiter=opts.delimiter,
    )


def _physical_lines(path: Path) -> int:
    newlines, last = 0, b""
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    return newlines + (0 if last in (b"\n", b"") else 1)


def read_parquet(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> RawFile:
    """Open a Parquet file as text; its ``_line`` is the row position + 1 (as if a header)."""
    rel = con.read_parquet(str(path), file_row_number=True)
    headers = [c for c in rel.columns if c != "file_row_number"]
    rel.create_view(f"{name}_pq")
    # positional aliases, so no header text is ever composed into SQL
    aliases = ", ".join([f"c{i}" for i in range(len(headers))] + ["_line"])
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {name} AS
        SELECT * FROM (
            SELECT COLUMNS(* EXCLUDE (file_row_number))::VARCHAR, file_row_number + 2
            FROM {name}_pq
        ) t({aliases})"""
    )
    return RawFile(headers, name, None)


def _plain_excel_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Excel date cells read as ``YYYY-MM-DD 00:00:00`` and time cells as
    ``1899-12-31 HH:MM:SS`` (the Excel epoch); write them as the plain date or time."""
    return frame.with_columns(
        pl.all()
        .str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "$1")
        .str.replace(r"^1899-12-3[01] (\d{2}:\d{2}:\d{2})$", "$1")
    )


def check_xlsx(source: Path | IO[bytes], max_bytes: int) -> None:
    """Refuse an .xlsx (a zip archive) that is not one, or whose members expand to more than
    ``max_bytes``: the sizes its directory declares first, then by inflating each member with
    a running count (declared sizes can lie), before any workbook reader opens it."""
    limit_mb = max_bytes / 1024 / 1024
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RefusedFile("not an .xlsx workbook (not a zip archive)") from exc
    with archive:
        members = archive.infolist()
        declared = sum(m.file_size for m in members)
        if declared > max_bytes or len(members) > 10_000:
            raise RefusedFile(
                f"the workbook expands to {declared / 1024 / 1024:,.0f} MB, over the limit of "
                f"{limit_mb:,.0f} MB (setting xlsx_max_uncompressed_mb): a zip bomb?"
            )
        total = 0
        try:
            for member in members:
                with archive.open(member) as fh:
                    while chunk := fh.read(1 << 20):
                        total += len(chunk)
                        if total > max_bytes:
                            raise RefusedFile(
                                f"the workbook expands to more than {limit_mb:,.0f} MB "
                                "(setting xlsx_max_uncompressed_mb): a zip bomb?"
                            )
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise RefusedFile(f"a broken .xlsx workbook: {exc}") from exc


def read_xlsx(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    opts: ReadOptions,
    name: str,
    max_bytes: int = 256 * 1024 * 1024,
) -> RawFile:
    """Read one sheet of an .xlsx file as text; ``_line`` is the sheet's row number."""
    import fastexcel

    check_xlsx(path, max_bytes)

    try:
        reader = fastexcel.read_excel(path)
        sheet = reader.load_sheet(
            opts.sheet if opts.sheet is not None else 0,
            header_row=None,
            skip_rows=0,
            dtypes="string",
            eager=True,
        )
    except Exception as exc:  # fastexcel raises its own error types for broken workbooks
        raise RefusedFile(f"cannot read the workbook: {exc}") from exc
    frame = pl.from_arrow(sheet)
    assert isinstance(frame, pl.DataFrame), "a record batch becomes a frame"
    leading = opts.skip_rows + opts.header_rows
    if frame.height < leading:
        raise RefusedFile("the sheet has no header row")
    header_rows = [
        ["" if v is None else str(v) for v in frame.row(i)] for i in range(opts.skip_rows, leading)
    ]
    headers = join_header_rows(header_rows)
    data = (
        _plain_excel_text(frame.slice(leading))
        .rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
        .with_columns(_line=pl.int_range(leading + 1, frame.height + 1, dtype=pl.Int64))
        .filter(~pl.all_horizontal(pl.exclude("_line").is_null()))
    )
    con.register(f"{name}_frame", data)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_raw AS SELECT * FROM {name}_frame")
    con.unregister(f"{name}_frame")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {name}_raw")
    return RawFile(headers, name, None)


def read_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    facts: FileFacts,
    opts: ReadOptions,
    work_dir: Path,
    name: str,
    xlsx_max_bytes: int = 256 * 1024 * 1024,
) -> RawFile:
    """Open any accepted file; raise :class:`RefusedFile` when it cannot be read at all (a
    CSV's body is read lazily: errors there surface when the view is queried)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return read_csv(con, path, facts, opts, work_dir, name)
        if suffix == ".parquet":
            return read_parquet(con, path, name)
        if suffix == ".xlsx":
            return read_xlsx(con, path, opts, name, xlsx_max_bytes)
    except duckdb.Error as exc:
        raise RefusedFile(f"cannot be read: {str(exc).splitlines()[0]}") from exc
    raise RefusedFile(f"unsupported file type {suffix!r}")


def close_file(con: duckdb.DuckDBPyConnection, raw: RawFile) -> None:
    """Drop the views and tables :func:`read_file` made for ``raw``."""
    for view in (raw.relation, f"{raw.relation}_csv", f"{raw.relation}_pq"):
        con.execute(f"DROP VIEW IF EXISTS {view}")
    con.execute(f"DROP TABLE IF EXISTS {raw.relation}_raw")
    con.execute(f"DROP TABLE IF EXISTS {raw.relation}_rj")
    con.execute(f"DROP TABLE IF EXISTS {raw.relation}_rs")
