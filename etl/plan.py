"""Which files a load reads, in what order, with which mapping: a folder's data files by table
(reference tables first, then event logs; within a table by the date in the name, then the
path), each with the mapping whose pattern matches it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from etl.contract import TABLES, Table, table_for_file
from etl.mapping import Mapping, canonical_mapping, load_mapping
from etl.read import (
    DATA_SUFFIXES,
    FileFacts,
)
from etl.reports import FileReport

MAPPINGS_DIR = "mappings"
DATE_IN_NAME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


@dataclass
class PlannedFile:
    """A file found in the sources, with the table and mapping it goes through."""

    path: Path
    table: Table | None
    mapping: Mapping | None
    report: FileReport
    facts: FileFacts | None = None


def collect_mappings(
    sources: Iterable[Path], explicit: Iterable[Path], names: dict[Path, str] | None = None
) -> list[Mapping]:
    """The mapping files given explicitly, then every ``*.yaml`` in ``<DATA_DIR>/mappings/``;
    ``names`` gives the name to show for a file saved under another (an upload)."""
    paths = [Path(p) for p in explicit]
    for source in sources:
        folder = Path(source) / MAPPINGS_DIR
        if folder.is_dir():
            paths += sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    return [load_mapping(p, (names or {}).get(p)) for p in paths]


def _data_files(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    return [
        p
        for p in source.rglob("*")
        if p.is_file()
        and p.suffix.lower() in DATA_SUFFIXES
        and MAPPINGS_DIR not in p.relative_to(source).parts[:-1]
        and not any(part.startswith(".") for part in p.relative_to(source).parts)
    ]


def _date_in_name(path: Path) -> str:
    match = DATE_IN_NAME.search(path.name)
    return "".join(match.groups()) if match else ""


def plan_files(
    sources: Iterable[Path], mappings: list[Mapping], names: dict[Path, str] | None = None
) -> list[PlannedFile]:
    """Every data file with its table and mapping, in load order: reference tables first then
    event logs (contract order), each by (date in the name, path). A file in ``names`` (an
    upload saved under a generated name) is matched, and recorded, by the name given there."""
    planned = []
    for source in sources:
        source = Path(source)
        for path in _data_files(source):
            given = (names or {}).get(path)
            shown = Path(given).name if given else path.name
            folder = None if given else path.parent.name
            mapping = next((m for m in mappings if m.matches(shown)), None)
            table = mapping.table if mapping else table_for_file(Path(shown).stem, folder)
            if given:
                name = shown
            else:
                name = path.name if path == source else path.relative_to(source).as_posix()
            report = FileReport(path, table.name if table else None, "refused", name=name)
            if table is None:
                report.message = "no contract table matches this file name (and no mapping)"
            elif mapping is None and Path(shown).suffix.lower() == ".xlsx":
                report.message = ".xlsx files load through a mapping file"
            elif mapping is None:
                mapping = canonical_mapping(table)
            planned.append(PlannedFile(path, table, mapping, report))
    rank = {t.name: i for i, t in enumerate(TABLES)}
    return sorted(
        planned,
        key=lambda f: (
            rank.get(f.report.table or "", -1),
            _date_in_name(Path(f.report.name)),
            f.report.name,
            str(f.path),
        ),
    )


# --- one table ------------------------------------------------------------------------------
