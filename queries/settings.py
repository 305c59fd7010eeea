"""The product's one settings object: paths, site facts, metric thresholds and compliance presets.

Values come from defaults below, overridable by environment variables prefixed ``CDASH_``
(for example ``CDASH_SITE_TIMEZONE=Asia/Hong_Kong``) or a ``.env`` file. Every threshold that
`metrics.md` writes in brackets lives here and nowhere else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# A DuckDB memory limit as this product accepts it: a positive size with DuckDB's units
# (KB/MB/GB/TB = 1000^i bytes, KiB/MiB/GiB/TiB = 1024^i) or a share of the machine's memory
# ("50%"). The value reaches DuckDB as a bound parameter, never as SQL text; this check is for
# clear errors: DuckDB also takes "-1" (no limit at all) and "1e3GB", answers "0GB" with an
# "Out of Memory" error, and a typo would otherwise surface in the first query of a page, not
# at start with the setting's name.
MEMORY_LIMIT = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[KMGT]i?B|B|%)", re.IGNORECASE)


class Preset(BaseModel):
    """One set of conduct rules. ``None`` means the preset has no such rule (reported as null)."""

    name: str
    window_start_hour: int
    window_end_hour: int
    daily_cap: int | None
    weekly_cap: int | None
    quiet_period_days: int | None


PRESETS: dict[str, Preset] = {
    "cn": Preset(
        name="cn",
        window_start_hour=8,
        window_end_hour=22,
        daily_cap=3,
        weekly_cap=None,
        quiet_period_days=None,
    ),
    "us_reg_f": Preset(
        name="us_reg_f",
        window_start_hour=8,
        window_end_hour=21,
        daily_cap=None,
        weekly_cap=7,
        quiet_period_days=7,
    ),
}

STRESS_COMPONENTS = (
    "occupancy",
    "overtime_minutes",
    "long_days",
    "break_deficit_days",
    "hostile_share",
    "longest_hostile_streak",
    "complaints_received",
    "pulse_score",
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CDASH_", env_file=".env", extra="ignore")

    # paths
    db_path: Path = PROJECT_ROOT / "data" / "collections.duckdb"
    sample_data_dir: Path = PROJECT_ROOT / "sample_data"
    lexicon_path: Path = PROJECT_ROOT / "queries" / "lexicon.txt"
    # users, sessions and the audit trail: a small SQLite store beside the analytical database,
    # which every load swaps out (the trail must outlive every swap)
    access_db_path: Path = PROJECT_ROOT / "data" / "access.sqlite"
    # roles and the pages each may open (validated at start)
    policy_path: Path = PROJECT_ROOT / "access" / "policy.toml"

    # access
    session_hours: float = 8.0
    lockout_failures: int = 5
    lockout_minutes: int = 15
    # the key that signs session cookies; None = `access.secret` beside the access store, made
    # owner-only at first use (a path of its own lets it live on a different volume)
    session_secret_path: Path | None = None
    # lifetime of a one-time sign-in link (the first start's, or one an admin issues)
    signin_token_hours: float = 24.0
    # the shipped sample, read-only, without sign-in, labelled on every page; never the default
    demo_mode: bool = False
    demo_db_path: Path = PROJECT_ROOT / "data" / "demo.duckdb"

    # loading hostile input (etl/, the Data page's upload)
    # the CSV reader's longest record: DuckDB's own default (2 MB) refused a whole file for one
    # long note; 16 MiB holds any real record, and a longer one is quarantined, not the file
    load_max_record_bytes: int = 16 * 1024 * 1024
    # a longer text value is rejected (value_too_long): a call note is a few hundred bytes, and
    # a megabyte "note" is a broken export or an attack that would bloat every query reading it
    load_max_text_bytes: int = 256 * 1024
    # a second load of the same database waits this long for the first, then is told to retry
    load_lock_timeout_s: float = 30.0
    # a new database file is owner-only (it holds borrowers' data); an existing file keeps its
    # own mode across every build-and-swap
    db_file_mode: int = 0o600
    # uploads on the Data page: a day's exports are a handful of files of some megabytes; the
    # caps stop a mistaken folder drop or a hostile upload from filling the server's disk
    upload_max_files: int = 200
    upload_max_total_mb: int = 1024
    # rows over all uploaded files (CSV lines, Parquet rows): about a month of a large operation
    upload_max_rows: int = 5_000_000
    # an .xlsx is a zip: the uncompressed size of its members is checked before it is opened,
    # so a few kilobytes cannot expand to gigabytes in the process (a zip bomb)
    xlsx_max_uncompressed_mb: int = 256

    # DuckDB's memory and threads (queries/db.py connect(): every connection of the dashboard,
    # the command lines and the loader). A limit is a size ("3GB", "512MiB") or a share of the
    # machine's memory ("50%"); None leaves DuckDB's default (80% of the memory, a thread per
    # core). Both are per open database file, so a machine that runs the dashboard beside other
    # work may want less than the default; DuckDB spills to disk beyond the limit where it can.
    # An empty variable (CDASH_DUCKDB_MEMORY_LIMIT=) is None.
    duckdb_memory_limit: str | None = None
    duckdb_threads: int | None = Field(default=None, ge=1)
    # the loader's own limit on its working copy (etl/load.py), over duckdb_memory_limit; a
    # load spills beyond it, so a 10M-call load stays under 4 GiB on a shared machine. None =
    # duckdb_memory_limit
    load_memory_limit: str | None = "3GB"

    # site
    site_timezone: str = "Asia/Shanghai"
    currency: str = "CNY"

    # funnel and recovery
    grace_days: int = 2
    follow_up_days: int = 2
    attribution_days: int = 14
    recovery_days: tuple[int, ...] = (30, 60, 90)
    bootstrap_resamples: int = 1000
    bootstrap_seed: int = 20260301
    # the strategy comparison bootstraps a bucket of up to this many mature accounts and uses
    # the delta-method normal interval above it (metrics.md allows either; the two agree closely
    # at that size, where 1,000 resamples of every account would take seconds)
    bootstrap_max_accounts: int = 5_000
    min_accounts_for_verdict: int = 30

    # plans
    plan_grace_days: int = 3
    broken_after_days: int = 30

    # compliance
    preset: str = "cn"
    window_channels: tuple[str, ...] = ("sms", "im", "email")

    # workload and well-being
    min_break_min: int = 60
    hostile_sentiment: float = -0.6
    stress_threshold: float = 60.0
    stress_weights: dict[str, float] = {c: 1.0 for c in STRESS_COMPONENTS}
    # above this many agents in view the heat map shows a row per team (a row per agent stops
    # being readable); choosing fewer agents brings the agent rows back
    heatmap_max_agents: int = 80

    # coaching and movers
    min_sample: int = 20
    mover_min_attempts: int = 50
    movers_count: int = 5
    coaching_effect_days: int = 28

    @field_validator("duckdb_memory_limit", "duckdb_threads", "load_memory_limit", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        """An empty variable (``CDASH_DUCKDB_THREADS=``) means None: DuckDB's default."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("duckdb_memory_limit", "load_memory_limit")
    @classmethod
    def _memory_limit(cls, value: str | None) -> str | None:
        if value is None:
            return None
        match = MEMORY_LIMIT.fullmatch(value.strip())
        number = float(match["number"]) if match else 0.0
        if not match or number <= 0 or (match["unit"] == "%" and number > 100):
            raise ValueError(
                f"{value!r} is not a memory limit: give a positive size with a unit "
                "(B, KB, MB, GB, TB or KiB, MiB, GiB, TiB; e.g. '3GB', '512MiB') "
                "or a share of the memory up to 100% (e.g. '50%')"
            )
        return value.strip()

    @property
    def served_db_path(self) -> Path:
        """The database the dashboard serves: in demo mode the sample's own file, never the
        operation's data."""
        return self.demo_db_path if self.demo_mode else self.db_path

    @property
    def active_preset(self) -> Preset:
        return PRESETS[self.preset]

    def with_preset(self, preset: str) -> Settings:
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}; choose one of {sorted(PRESETS)}")
        return self.model_copy(update={"preset": preset})


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
