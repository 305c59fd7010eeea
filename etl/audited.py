"""A load as an accountable admin act: the loader, then one entry in the audit trail.

The command line (``python -m etl load``) and the Data page's upload both load through
:func:`audited_load`, so neither can load without the entry and the entry is written in one
place. It is written after the new database is live (``report.committed``): an entry never
claims a load that did not happen. A load that found nothing new commits nothing and is not
recorded; neither is the dashboard's first start (``system:first-start`` in ``load_runs``).
The loader itself stays free of the access store: tests and benchmarks that load fixtures
leave the trail alone.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from access import audit
from etl.load import LoadReport, load_files


def audit_detail(report: LoadReport) -> dict[str, Any]:
    """The entry's detail: the load, the files it recorded (loaded or refused; files skipped
    as already loaded are not part of it), by name and checksum, and the values it changed."""
    return {
        "load_id": report.load_id,
        "files": [
            {
                "name": f.name,
                "sha256": f.checksum,
                "status": f.status,
                "rows_loaded": f.rows_loaded,
            }
            for f in report.files
            if f.file_id is not None
        ],
        "values_updated": report.values_updated,
    }


def record_load(report: LoadReport) -> None:
    """Write the audit entry of a committed load, as ``report.loaded_by``. The data is live
    whatever happens here: a store that cannot be written leaves ``report.audit_error`` for
    the caller to show, instead of an exception that would read as a failed load."""
    try:
        report.audit_id = audit.record(audit.LOAD, report.loaded_by, audit_detail(report))
    except (sqlite3.Error, OSError) as exc:
        report.audit_error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def audited_load(
    db_path: Path, sources: list[Path], *, loaded_by: str, **options: Any
) -> LoadReport:
    """:func:`etl.load.load_files` as ``loaded_by``, then the audit entry if it committed."""
    report = load_files(db_path, sources, loaded_by=loaded_by, **options)
    if report.committed:
        record_load(report)
    return report
