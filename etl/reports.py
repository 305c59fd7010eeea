"""What a load reports: per file (read, loaded, rejected, duplicates, why refused) and for
the whole load, and the records the CSV reader set aside."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Malformed:
    """One record the CSV reader could not split into the header's fields."""

    line: int
    reason: str
    kind: str
    message: str
    text: str


@dataclass
class FileReport:
    """What happened to one file."""

    path: Path
    table: str | None
    status: str  # loaded | refused | skipped (already loaded)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    duplicates: int = 0
    message: str = ""
    encoding: str | None = None
    mapping: str | None = None
    checksum: str | None = None
    size_bytes: int | None = None
    columns: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    file_id: int | None = None
    #: what loaded_files records and summaries show: the path relative to the folder given (a
    #: file given on its own: its name), never where it sits on the server
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or self.path.name


@dataclass
class LoadReport:
    """The outcome of one load: per-file stats, totals, the exit code and a one-line message."""

    files: list[FileReport]
    exit_code: int
    message: str
    load_id: int | None = None
    #: earlier retryable rejects that loaded (or were settled otherwise) in this load
    retried_loaded: int = 0
    retried_still_rejected: int = 0
    #: already-loaded values this load changed (one change_log row each)
    values_updated: int = 0
    loaded_by: str = ""
    #: True once the new database is live (not for a load that found nothing to do)
    committed: bool = False
    #: the load also brought a database an older release built up to this release's schema
    schema_upgraded: bool = False
    #: the audit trail's entry for this load, or why it could not be written
    audit_id: int | None = None
    audit_error: str | None = None

    @property
    def totals(self) -> dict[str, int]:
        done = [f for f in self.files if f.status == "loaded"]
        return {
            "files_loaded": len(done),
            "files_refused": sum(f.status == "refused" for f in self.files),
            "files_skipped": sum(f.status == "skipped" for f in self.files),
            "rows_read": sum(f.rows_read for f in done),
            "rows_loaded": sum(f.rows_loaded for f in done),
            "rows_rejected": sum(f.rows_rejected for f in done),
            "duplicates": sum(f.duplicates for f in done),
        }
