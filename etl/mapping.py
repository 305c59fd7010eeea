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
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from etl.contract import TABLES_BY_NAME, Table
from etl.read import ReadOptions, text_encoding

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
    #: the name shown for it (an upload's browser name, not the temporary copy's)
    label: str | None = None

    def matches(self, file: Path | str) -> bool:
        """Whether the file's name (a path's last part, or a name as uploaded) matches."""
        name = file.name if isinstance(file, Path) else file
        return any(fnmatch.fnmatch(name, p) for p in self.patterns)

    @property
    def name(self) -> str:
        return self.label or (self.path.name if self.path else "")


def _text(value: Any) -> str:
    """YAML scalars (numbers too) as the text a CSV would carry."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


#: the most a mapping file may hold: a mapping is a page of YAML, never megabytes
MAPPING_MAX_BYTES = 256 * 1024
#: bounds on the leading rows (an export's title block is a few lines)
MAX_SKIP_ROWS = 1_000
MAX_HEADER_ROWS = 10

Scalar = StrictStr | StrictInt | StrictFloat | StrictBool


class RuleSpec(BaseModel):
    """One column rule as written in a mapping file (checked before anything is read)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: Scalar | None = Field(None, alias="from")
    date: Scalar | None = None
    time: Scalar | None = None
    format: StrictStr | None = None
    parse: Literal["hms", "amount"] | None = None
    recode: dict[Scalar, Scalar] | None = None
    value: Scalar | None = None
    hash: list[Scalar] | None = None
    prefix: StrictStr = ""

    @model_validator(mode="after")
    def _one_source(self) -> RuleSpec:
        if (self.date is None) != (self.time is None):
            raise ValueError("date and time go together")
        given = [k for k in ("from_", "date", "value", "hash") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of from, date+time, value, hash")
        return self


class MappingSpec(BaseModel):
    """A mapping file as written: every key, its type and its bounds."""

    model_config = ConfigDict(extra="forbid")

    table: StrictStr
    files: StrictStr | list[StrictStr]
    encoding: StrictStr | None = None
    delimiter: StrictStr = ","
    skip_rows: StrictInt = Field(0, ge=0, le=MAX_SKIP_ROWS)
    header_rows: StrictInt = Field(1, ge=1, le=MAX_HEADER_ROWS)
    sheet: StrictStr | StrictInt | None = None
    columns: dict[StrictStr, RuleSpec] = Field(default_factory=dict)

    @field_validator("columns", mode="before")
    @classmethod
    def _header_shorthand(cls, value: Any) -> Any:
        """``call_id: 通话编号`` is short for ``call_id: {from: 通话编号}``."""
        if isinstance(value, dict):
            return {
                k: {"from": v} if isinstance(v, str | int | float) else v for k, v in value.items()
            }
        return value

    @field_validator("table")
    @classmethod
    def _known_table(cls, value: str) -> str:
        if value not in TABLES_BY_NAME:
            raise ValueError(f"unknown table {value!r}")
        return value

    @field_validator("files")
    @classmethod
    def _some_pattern(cls, value: str | list[str]) -> str | list[str]:
        if not value or not all(value if isinstance(value, list) else [value]):
            raise ValueError("give a file-name pattern")
        return value

    @field_validator("encoding")
    @classmethod
    def _text_encoding(cls, value: str | None) -> str | None:
        return None if value is None else text_encoding(value)

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, value: str) -> str:
        if len(value) != 1 or value in '"\r\n':
            raise ValueError("must be one character, not a quote or a line break")
        return value

    @model_validator(mode="after")
    def _known_columns(self) -> MappingSpec:
        table = TABLES_BY_NAME[self.table]
        for column in self.columns:
            if column not in table.column_names:
                raise ValueError(f"{table.name} has no column {column!r}")
        return self


def _no_aliases(text: str) -> None:
    """YAML anchors and aliases can expand a small file into a huge document: refused."""
    for token in yaml.scan(text, Loader=_TextLoader):
        if isinstance(token, yaml.AliasToken | yaml.AnchorToken):
            raise MappingError("YAML anchors and aliases (& and *) are not allowed")


#: how pydantic names the branches of a union in an error's location
_UNION_TAGS = {"str", "int", "float", "bool", "list[str]", "dict[str,RuleSpec]"}


def _first_error(exc: ValidationError) -> str:
    """One line naming the key of the first error (a union's branches as one message)."""
    errors = exc.errors()
    err = errors[0]

    def key(e: Any) -> str:
        parts = [str(p) for p in e["loc"] if p != "from_" and str(p) not in _UNION_TAGS]
        return ".".join(parts) or "(file)"

    loc = key(err)
    if err["type"] == "extra_forbidden":
        return f"key `{loc}`: unknown key"
    if err["type"] == "missing":
        return f"key `{loc}`: missing"
    tags = [
        str(e["loc"][-1])
        for e in errors
        if e["loc"] and key(e) == loc and str(e["loc"][-1]) in _UNION_TAGS
    ]
    if len(tags) > 1:
        return f"key `{loc}`: wrong type (expected {' or '.join(tags)})"
    return f"key `{loc}`: {err['msg'].removeprefix('Value error, ')}"


def _rule_of(spec: RuleSpec) -> ColumnRule:
    return ColumnRule(
        source=_optional_text(spec.from_),
        date=_optional_text(spec.date),
        time=_optional_text(spec.time),
        format=spec.format,
        parse=spec.parse,
        recode={_text(k): _text(v) for k, v in spec.recode.items()} if spec.recode else None,
        value=_optional_text(spec.value),
        hash=tuple(_text(h) for h in spec.hash or ()),
        prefix=spec.prefix,
    )


def load_mapping(path: Path, name: str | None = None) -> Mapping:
    """Parse and check a mapping file against :class:`MappingSpec`; every problem is one
    MappingError line naming the file (``name``, else its file name) and the key."""
    shown = name or path.name
    try:
        if path.stat().st_size > MAPPING_MAX_BYTES:
            raise MappingError(f"larger than {MAPPING_MAX_BYTES // 1024} KiB")
        text = path.read_text(encoding="utf-8-sig")
        _no_aliases(text)
        doc = yaml.load(text, Loader=_TextLoader)
    except MappingError as exc:
        raise MappingError(f"{shown}: {exc}") from None
    except UnicodeDecodeError:
        raise MappingError(f"{shown}: not UTF-8 text") from None
    except (OSError, yaml.YAMLError) as exc:
        first = " ".join(str(exc).split())
        raise MappingError(f"{shown}: not valid YAML: {first}") from None
    if not isinstance(doc, dict):
        raise MappingError(f"{shown}: expected a YAML mapping (key: value lines)")
    try:
        spec = MappingSpec.model_validate(doc)
    except ValidationError as exc:
        raise MappingError(f"{shown}: {_first_error(exc)}") from None
    table = TABLES_BY_NAME[spec.table]
    patterns = (spec.files,) if isinstance(spec.files, str) else tuple(spec.files)
    columns = {column: _rule_of(rule) for column, rule in spec.columns.items()}
    read = ReadOptions(
        encoding=spec.encoding,
        delimiter=spec.delimiter,
        skip_rows=spec.skip_rows,
        header_rows=spec.header_rows,
        sheet=spec.sheet,
    )
    return Mapping(path, table, patterns, read, columns, label=shown)


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
        assert rule.time is not None, "date and time go together (checked on reading)"
        expr = f"concat_ws(' ', c{pos[_normal(rule.date)]}, c{pos[_normal(rule.time)]})"
    else:
        assert rule.source is not None, "exactly one of from, date+time, value, hash"
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
    selects: list[str] = []
    carried: list[str] = []
    used: set[str] = set()
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
