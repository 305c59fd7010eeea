"""The dashboard's first start: build the database from the data folder, once."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock

from etl.load import LoadReport, Progress, load_files
from etl.schema import schema_is_current
from queries.db import connect
from queries.refresh import is_current

#: who the first start's build (and an older release's refresh) is recorded as
FIRST_START = "system:first-start"


class BuildFailed(RuntimeError):
    """The first build committed nothing."""

    def __init__(self, report: LoadReport):
        super().__init__(report.message)
        self.report = report


def is_up_to_date(db_path: Path) -> bool:
    """True when the database's derived models match this release's SQL and it has this
    release's tables and columns."""
    con = connect(db_path, read_only=True)
    try:
        return is_current(con) and schema_is_current(con)
    finally:
        con.close()


def ensure_database(db_path: Path, data_dir: Path, on_progress: Progress | None = None) -> bool:
    """Build ``db_path`` from ``data_dir`` when it does not exist yet, or refresh its derived
    models when an older release built them; True if this call built or refreshed it.

    Several dashboard processes may start together: the build runs under ``<db>.build.lock``
    and whoever gets the lock second finds the database built. Files refused whole do not stop
    the build (the Data page lists them); a build that commits nothing raises BuildFailed.
    """
    db_path = Path(db_path)
    if db_path.exists() and is_up_to_date(db_path):
        return False
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{db_path}.build.lock"):
        if db_path.exists():
            if is_up_to_date(db_path):
                return False
            # built by an older release: a load of nothing brings the schema up to date and
            # re-runs the refresh step, swapped in
            report = load_files(db_path, [], on_progress=on_progress, loaded_by=FIRST_START)
            if report.exit_code == 1:
                raise BuildFailed(report)
            return True
        report = load_files(
            db_path, [Path(data_dir)], on_progress=on_progress, loaded_by=FIRST_START
        )
        if report.exit_code == 1 or not db_path.exists():
            raise BuildFailed(report)
        return True
