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
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

CHUNK = 16 * 1024 * 1024
DATA_SUFFIXES = (".csv", ".parquet", ".xlsx")
UTF8 = "utf-8"
GB18030 = "gb18030"


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


def _leading_records(path: Path, opts: ReadOptions) -> tuple[list[list[str]], int]:
    """The title rows and header records (parsed as CSV), and how many physical lines they span."""
    wanted = opts.skip_rows + opts.header_rows
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=opts.delimiter)
        records = [row for _, row in zip(range(wanted), reader, strict=False)]
        lines = reader.line_num
    if len(records) < wanted:
        raise RefusedFile("the file has no header row")
    return records, lines


def join_header_rows(rows: list[list[str]]) -> list[str]:
    """One name per column; several header rows join with a newline (two-line headers)."""
    width = max(len(r) for r in rows)
    padded = [r + [""] * (width - len(r)) for r in rows]
    return [
        "\n".join(part.strip() for part in parts if part.strip())
        for parts in zip(*padded, strict=True)
    ]


def record_start_lines(path: Path, first_line: int) -> np.ndarray:
    """Physical start line of every non-blank CSV record that begins at or after ``first_line``.

    Vectorised over the bytes: a newline ends a record when the number of quote characters
    before it is even; DuckDB skips blank records, so they are dropped here too.
    """
    ends: list[np.ndarray] = []
    blank: list[np.ndarray] = []
    parity = 0
    line_base = 0
    prev_end_pos = -1
    offset = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            data = np.frombuffer(chunk, dtype=np.uint8)
            quotes = np.cumsum(data == ord('"'), dtype=np.int64) + parity
            nl_pos = np.flatnonzero(data == ord("\n"))
            is_end = (quotes[nl_pos] % 2) == 0
            line_no = line_base + np.arange(1, len(nl_pos) + 1)
            end_pos = nl_pos[is_end] + offset
            starts = np.concatenate(([prev_end_pos], end_pos[:-1]))
            # a record is blank when only "\r" (or nothing) lies between its bounds
            length = end_pos - starts - 1
            cr_only = np.zeros(len(end_pos), dtype=bool)
            one = np.flatnonzero(length == 1)
            cr_only[one] = data[end_pos[one] - 1 - offset] == ord("\r")
            ends.append(line_no[is_end])
            blank.append((length == 0) | cr_only)
            if len(end_pos):
                prev_end_pos = int(end_pos[-1])
            parity = int(quotes[-1] % 2)
            line_base += len(nl_pos)
            offset += len(chunk)
        trailing = offset - prev_end_pos - 1
    end_lines = np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64)
    is_blank = np.concatenate(blank) if blank else np.zeros(0, dtype=bool)
    start_lines = np.concatenate(([1], end_lines + 1))
    if trailing > 0:  # a last record without a final newline
        is_blank = np.concatenate((is_blank, [False]))
    else:
        start_lines = start_lines[:-1]
    keep = (~is_blank) & (start_lines >= first_line)
    return start_lines[keep]


def read_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    facts: FileFacts,
    opts: ReadOptions,
    work_dir: Path,
    name: str,
) -> RawFile:
    """Open a CSV file as text columns ``c0…``; rows are numbered assuming one line each."""
    source = as_utf8(path, facts.encoding or UTF8, work_dir)
    leading, leading_lines = _leading_records(source, opts)
    headers = join_header_rows(leading[opts.skip_rows :])
    columns = {f"c{i}": "VARCHAR" for i in range(len(headers))}
    # the relation API takes the path as a value: nothing from the file system enters SQL text
    con.read_csv(
        str(source),
        header=False,
        skiprows=len(leading),
        columns=columns,
        auto_detect=False,
        delimiter=opts.delimiter,
        quotechar='"',
        escapechar='"',
    ).create_view(f"{name}_csv")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {name} AS "
        f"SELECT *, row_number() OVER () + {leading_lines} AS _line FROM {name}_csv"
    )
    return RawFile(headers, name, facts.encoding, source, facts, leading_lines)


def true_start_lines(raw: RawFile, rows: int) -> np.ndarray | None:
    """None when every record took one physical line (``_line`` is right), else the real
    start line of each record, in order. Raises RefusedFile when they cannot be matched."""
    if raw.source is None or raw.facts is None:
        return None
    physical = raw.facts.newlines + (0 if raw.facts.ends_with_newline else 1)
    if physical == raw.leading_lines + rows:
        return None
    lines = record_start_lines(raw.source, raw.first_line)
    if len(lines) != rows:
        raise RefusedFile("cannot match records to lines (unbalanced quotes?)")
    return lines


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


def read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, opts: ReadOptions, name: str) -> RawFile:
    """Read one sheet of an .xlsx file as text; ``_line`` is the sheet's row number."""
    import fastexcel

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
            return read_xlsx(con, path, opts, name)
    except duckdb.Error as exc:
        raise RefusedFile(f"cannot be read: {str(exc).splitlines()[0]}") from exc
    raise RefusedFile(f"unsupported file type {suffix!r}")


def close_file(con: duckdb.DuckDBPyConnection, raw: RawFile) -> None:
    """Drop the views and tables :func:`read_file` made for ``raw``."""
    for view in (raw.relation, f"{raw.relation}_csv", f"{raw.relation}_pq"):
        con.execute(f"DROP VIEW IF EXISTS {view}")
    con.execute(f"DROP TABLE IF EXISTS {raw.relation}_raw")
