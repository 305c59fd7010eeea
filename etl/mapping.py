"""Mapping files: how a foreign export (its own headers, codes and formats) becomes a contract
table. The format is described in docs/loading.md.

A mapping compiles to one SQL projection over the positional text columns ``c0…`` of a read
file. Everything taken from the mapping (codes, formats, constants) is a bound parameter; the
only identifiers composed are the positional column names and contract column names.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from etl.contract import TABLES_BY_NAME, Table
from etl.read import ReadOptions

PARSERS = ("hms", "amount")
RULE_KEYS = {"from", "date", "time", "format", "parse", "recode", "value", "hash", "prefix"}
# currency signs, thousands separators and blanks an amount may carry
AMOUNT_NOISE = r"[,\s¥￥$€£元]|CNY|RMB|USD"


class _TextLoader(yaml.SafeLoader):
    """YAML without implicit booleans: a header `No` or a code `yes` stays text."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class MappingError(ValueError):
    """A mapping file that cannot be used."""


@dataclass(frozen=True)
class ColumnRule:
    """Where one contract column comes from in the export and how to convert it."""

    source: str | None = None
    date: str | None = None
    time: str | None = None
    format: str | None = None
    parse: str | None = None
    recode: dict[str, str] | None = None
    value: str | None = None
    hash: tuple[str, ...] = ()
    prefix: str = ""

    def sources(self) -> list[str]:
        """The export columns this rule reads."""
        return [s for s in (self.source, self.date, self.time, *self.hash) if s is not None]


@dataclass(frozen=True)
class Mapping:
    """One export shape: which files, how to read them, and where each column comes from."""

    path: Path | None
    table: Table
    patterns: tuple[str, ...]
    read: ReadOptions
    columns: dict[str, ColumnRule] = field(default_factory=dict)

    def matches(self, file: Path) -> bool:
        return any(fnmatch.fnmatch(file.name, p) for p in self.patterns)

    @property
    def name(self) -> str:
        return self.path.name if self.path else ""


def _text(value: Any) -> str:
    """YAML scalars (numbers too) as the text a CSV would carry."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _rule(column: str, spec: Any) -> ColumnRule:
    if isinstance(spec, str | int | float):  # a header may look like a number
        return ColumnRule(source=_text(spec))
    if not isinstance(spec, dict):
        raise MappingError(f"column {column!r}: expected a header name or a mapping")
    unknown = set(spec) - RULE_KEYS
    if unknown:
        raise MappingError(f"column {column!r}: unknown keys {sorted(unknown)}")
    if spec.get("parse") is not None and spec["parse"] not in PARSERS:
        raise MappingError(f"column {column!r}: parse must be one of {PARSERS}")
    if ("date" in spec) != ("time" in spec):
        raise MappingError(f"column {column!r}: date and time go together")
    given = [k for k in ("from", "date", "value", "hash") if k in spec]
    if len(given) != 1:
        raise MappingError(f"column {column!r}: give exactly one of from, date+time, value, hash")
    recode = spec.get("recode")
    return ColumnRule(
        source=_optional_text(spec.get("from")),
        date=_optional_text(spec.get("date")),
        time=_optional_text(spec.get("time")),
        format=spec.get("format"),
        parse=spec.get("parse"),
        recode={_text(k): _text(v) for k, v in recode.items()} if recode else None,
        value=_text(spec["value"]) if "value" in spec else None,
        hash=tuple(_text(h) for h in spec.get("hash") or ()),
        prefix=str(spec.get("prefix", "")),
    )


def load_mapping(path: Path) -> Mapping:
    """Parse and check a mapping file."""
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise MappingError(f"{path.name}: {exc}") from exc
    if not isinstance(doc, dict):
        raise MappingError(f"{path.name}: expected a YAML mapping")
    table = TABLES_BY_NAME.get(doc.get("table", ""))
    if table is None:
        raise MappingError(f"{path.name}: unknown table {doc.get('table')!r}")
    files = doc.get("files") or []
    patterns = (files,) if isinstance(files, str) else tuple(files)
    if not patterns:
        raise MappingError(f"{path.name}: give a `files` pattern")
    columns = {}
    for column, spec in (doc.get("columns") or {}).items():
        if column not in table.column_names:
            raise MappingError(f"{path.name}: {table.name} has no column {column!r}")
        columns[column] = _rule(column, spec)
    sheet = doc.get("sheet")
    read = ReadOptions(
        encoding=doc.get("encoding"),
        delimiter=str(doc.get("delimiter", ",")),
        skip_rows=int(doc.get("skip_rows", 0)),
        header_rows=int(doc.get("header_rows", 1)),
        sheet=sheet,
    )
    return Mapping(path, table, patterns, read, columns)


def canonical_mapping(table: Table) -> Mapping:
    """The identity mapping of a canonical file: every header that is a contract column."""
    rules = {c: ColumnRule(source=c) for c in table.column_names}
    return Mapping(None, table, (), ReadOptions(), rules)


@dataclass
class Projection:
    """A compiled mapping for one file's headers."""

    select: str
    params: dict[str, Any]
    carried: list[str]
    extra: list[str]
    missing_required: list[str]


class _Params:
    """Collects bound parameters under generated names."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        name = f"m{len(self.values)}"
        self.values[name] = value
        return f"${name}"


def _normal(header: str) -> str:
    return "\n".join(part.strip() for part in header.replace("\r", "").split("\n")).strip()


def _expression(
    rule: ColumnRule, column: str, table: Table, pos: dict[str, int], p: _Params
) -> str:
    """The SQL text expression for one contract column (over ``c0…``)."""
    if rule.value is not None:
        return p.bind(rule.value)
    if rule.hash:
        parts = ", ".join(f"coalesce(c{pos[_normal(s)]}, '')" for s in rule.hash)
        return f"{p.bind(rule.prefix)} || substr(md5(concat_ws(chr(31), {parts})), 1, 16)"
    if rule.date is not None:
        expr = f"concat_ws(' ', c{pos[_normal(rule.date)]}, c{pos[_normal(rule.time)]})"
    else:
        expr = f"c{pos[_normal(rule.source)]}"
    expr = f"trim({expr})"
    if rule.recode:
        keys, vals = p.bind(list(rule.recode)), p.bind(list(rule.recode.values()))
        expr = f"coalesce(({vals})[list_position({keys}, {expr})], {expr})"
    if rule.parse == "hms":
        expr = (
            f"coalesce(CAST(list_reduce(list_transform(string_split({expr}, ':'), "
            f"lambda x: TRY_CAST(x AS BIGINT)), lambda a, b: a * 60 + b) AS VARCHAR), {expr})"
        )
    elif rule.parse == "amount":
        expr = f"regexp_replace({expr}, {p.bind(AMOUNT_NOISE)}, '', 'g')"
    if rule.format is not None:
        kind = table.column(column).type
        out = "%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M:%S"
        expr = f"coalesce(strftime(try_strptime({expr}, {p.bind(rule.format)}), '{out}'), {expr})"
    return expr


def compile_mapping(mapping: Mapping, headers: list[str]) -> Projection:
    """Compile ``mapping`` for a file with these headers into one SELECT list of every
    contract column (NULL where the file does not carry it)."""
    pos: dict[str, int] = {}
    for i, h in enumerate(headers):
        pos.setdefault(_normal(h), i)
    p = _Params()
    table = mapping.table
    selects, carried, used = [], [], set()
    for column in table.column_names:
        rule = mapping.columns.get(column)
        if rule is None or any(_normal(s) not in pos for s in rule.sources()):
            if mapping.path is not None and rule is not None:
                missing = [s for s in rule.sources() if _normal(s) not in pos]
                if table.column(column).required:
                    raise MappingError(f"the file lacks the mapped header(s) {missing}")
            selects.append(f'NULL::VARCHAR AS "{column}"')
            continue
        used.update(_normal(s) for s in rule.sources())
        expr = _expression(rule, column, table, pos, p)
        selects.append(f"nullif(trim(CAST({expr} AS VARCHAR)), '') AS \"{column}\"")
        carried.append(column)
    extra = [h for h in headers if _normal(h) not in used and _normal(h)]
    missing_required = [c for c in table.required_columns if c not in carried]
    return Projection(", ".join(selects), p.values, carried, extra, missing_required)
