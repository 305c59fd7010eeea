"""The sample generator: determinism, contract-valid files, and the planted patterns."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from etl.contract import TABLES, TABLES_BY_NAME
from etl.generate import generate
from etl.generate.common import ZONES
from etl.generate.foreign import EXPORT_PATH, HEADER, TITLE_ROWS
from etl.generate.text import THREAT_PHRASES

SMALL = {"agents": 24, "accounts": 1500, "weeks": 3}
RPC = ["right_party", "promise_to_pay", "refused", "dispute", "hardship", "callback"]
#: what a canonical value of each logical type looks like
PATTERNS = {
    "timestamp": r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\+08:00)?$",
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "money": r"^\d+\.\d{2}$",
    "int": r"^\d+$",
    "float": r"^-?\d+(\.\d+)?$",
    "bool": r"^(true|false)$",
    "text": r".",
    "timezone": r".",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("sample")
    return out, generate(out, seed=7, **SMALL)


def read(out: Path, table: str) -> pl.DataFrame:
    """All files of a table as text columns (exactly as written)."""
    files = (
        [out / f"{table}.csv"]
        if (out / f"{table}.csv").exists()
        else sorted((out / table).glob("*.csv"))
    )
    return pl.concat([pl.read_csv(f, infer_schema=False) for f in files])


def digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*.csv"))
    }


def test_same_seed_same_bytes_other_seed_other_data(sample, tmp_path):
    out, rows = sample
    again = generate(tmp_path / "again", seed=7, **SMALL)
    other = generate(tmp_path / "other", seed=8, **SMALL)
    assert again == rows
    assert other != rows
    assert digests(tmp_path / "again") == digests(out)
    first_day = "calls/2026-10-26.csv"  # 3 weeks before Sunday 2026-11-15 start on Monday 10-26
    assert digests(tmp_path / "other")[first_day] != digests(out)[first_day]


def test_every_table_written_with_the_contract_header(sample):
    out, rows = sample
    for table in TABLES:
        frame = read(out, table.name)
        assert frame.columns == table.column_names, table.name
        assert frame.height == rows[table.name] > 0, table.name
    assert sorted(p.name for p in (out / "calls").glob("*.csv"))[0] == "2026-10-26.csv"
    assert sorted(p.name for p in (out / "calls").glob("*.csv"))[-1] == "2026-11-15.csv"


def test_values_fit_types_vocabularies_and_required(sample):
    out, _ = sample
    for table in TABLES:
        frame = read(out, table.name)
        for col in table.columns:
            values = frame[col.name].drop_nulls()
            assert values.str.contains(PATTERNS[col.type]).all(), (table.name, col.name)
            if col.required:
                assert frame[col.name].null_count() == 0, (table.name, col.name)
            if col.vocab:
                assert values.is_in(list(col.vocab)).all(), (table.name, col.name)
            if col.min is not None and col.type in ("money", "int", "float"):
                numbers = values.cast(pl.Float64)
                assert (numbers > col.min if col.min_exclusive else numbers >= col.min).all()
    assert read(out, "accounts")["timezone"].is_in(list(ZONES)).all()


def test_references_resolve(sample):
    out, _ = sample
    for table in TABLES:
        frame = read(out, table.name)
        for col in table.columns:
            if col.ref:
                key = TABLES_BY_NAME[col.ref].key[0]
                known = read(out, col.ref)[key]
                assert frame[col.name].drop_nulls().is_in(known.implode()).all(), (
                    table.name,
                    col.name,
                )


def test_payment_rules_promise_dates_plans_and_messages(sample):
    out, _ = sample
    payments = read(out, "payments").with_columns(pl.col("amount").cast(pl.Float64))
    plans = read(out, "plans")
    on_plan = payments.filter(pl.col("plan_id").is_not_null()).join(
        plans.select("plan_id", plan_account="account_id"), on="plan_id"
    )
    # plan payments carry their plan_id (85% of them); promise and ad-hoc payments have none
    assert on_plan.height > 0.2 * payments.height
    assert payments["plan_id"].null_count() > 0.2 * payments.height
    assert (on_plan["account_id"] == on_plan["plan_account"]).all()
    reversals = payments.filter(pl.col("reverses_payment_id").is_not_null()).join(
        payments.select(
            reverses_payment_id="payment_id",
            orig_account="account_id",
            orig_amount="amount",
            orig_at="paid_at",
        ),
        on="reverses_payment_id",
    )
    assert reversals.height >= 3
    assert (reversals["account_id"] == reversals["orig_account"]).all()
    assert (reversals["amount"] <= reversals["orig_amount"]).all()
    assert (reversals["paid_at"] > reversals["orig_at"]).all()

    sums = (
        read(out, "plan_installments")
        .group_by("plan_id")
        .agg(pl.col("amount_due").cast(pl.Float64).sum().alias("scheduled"))
    )
    check = plans.join(sums, on="plan_id").with_columns(
        gap=(
            pl.col("scheduled")
            - pl.col("total_amount").cast(pl.Float64)
            + pl.col("waived_amount").cast(pl.Float64)
        ).abs()
    )
    assert check.height == plans.height  # every plan has a schedule
    assert check.filter(pl.col("gap") > 0.01).height == 2  # the two planted inconsistent ones

    for table, time_col in (("calls", "started_at"), ("visits", "visited_at")):
        promises = read(out, table).filter(pl.col("promise_date").is_not_null())
        assert promises.height > 0
        assert (promises["promise_date"] >= promises[time_col].str.slice(0, 10)).all()
        assert (promises["outcome"] == "promise_to_pay").all()

    messages = read(out, "messages")
    assert messages["automated"].null_count() == 0
    assert ((messages["automated"] == "true") == messages["agent_id"].is_null()).all()


def test_settlement_offers_beat_standard_and_legal_pays_late(sample):
    out, _ = sample
    accounts = read(out, "accounts").with_columns(
        assigned=pl.col("assigned_at").str.to_datetime(),
        balance=pl.col("balance_at_assignment").cast(pl.Float64),
        bucket=pl.col("dpd_at_assignment").cast(pl.Int64),
    )
    payments = read(out, "payments").with_columns(
        paid=pl.col("paid_at").str.to_datetime(),
        net=pl.when(pl.col("reverses_payment_id").is_null()).then(1).otherwise(-1)
        * pl.col("amount").cast(pl.Float64),
    )
    mature = accounts.filter(pl.col("assigned") + pl.duration(days=30) <= pl.datetime(2026, 11, 16))
    within = (
        payments.join(mature.select("account_id", "assigned"), on="account_id")
        .filter(pl.col("paid") < pl.col("assigned") + pl.duration(days=30))
        .group_by("account_id")
        .agg(pl.col("net").sum())
    )
    recovery = (
        mature.join(within, on="account_id", how="left")
        .group_by("strategy", m2_m3=pl.col("bucket").is_between(31, 90))
        .agg(rate=pl.col("net").sum() / pl.col("balance").sum())
    )

    def rate(strategy: str, m2_m3: bool) -> float:
        return recovery.filter((pl.col("strategy") == strategy) & (pl.col("m2_m3") == m2_m3))[
            "rate"
        ].item()

    assert rate("settlement_offer", True) > 1.3 * rate("standard", True)
    assert rate("legal_referral", False) < 0.5 * rate("standard", False)


def test_late_calls_evening_calls_and_heavy_dialing(sample):
    out, _ = sample
    accounts = read(out, "accounts").select("account_id", "timezone")
    calls = (
        read(out, "calls")
        .join(accounts, on="account_id")
        .filter((pl.col("timezone") == "Asia/Shanghai") & (pl.col("direction") == "outbound"))
        .with_columns(hour=pl.col("started_at").str.slice(11, 2).cast(pl.Int32))
    )
    late = calls.filter(pl.col("hour") >= 22)
    assert late.height > 0
    # only the planted late caller: round(24 agents × 3/60) = 1
    assert late["agent_id"].n_unique() == 1
    assert calls.filter(pl.col("hour") == 21).height > 0  # inside cn's window, outside reg F's
    connected_per_day = (
        calls.filter(~pl.col("outcome").is_in(["no_answer", "busy", "voicemail"]))
        .group_by("account_id", day=pl.col("started_at").str.slice(0, 10))
        .len()
    )
    assert connected_per_day["len"].max() > 3


def test_overloaded_agents_work_long_skip_breaks_feel_bad_and_promise_less(sample):
    out, _ = sample
    shifts = read(out, "shifts").with_columns(
        pl.col("logged_in_min", "scheduled_min", "break_min").cast(pl.Int64)
    )
    long_days = shifts.filter(pl.col("logged_in_min") > 600)
    overloaded = long_days["agent_id"].unique()
    assert 1 <= overloaded.len() <= 5
    assert (long_days["logged_in_min"] > long_days["scheduled_min"]).all()  # overtime
    assert (long_days["break_min"] < 60).all()
    pulse = read(out, "pulse").with_columns(pl.col("score").cast(pl.Int64))
    assert pulse.filter(pl.col("agent_id").is_in(overloaded.implode()))["score"].mean() < 2.5
    calls = read(out, "calls").filter(pl.col("outcome").is_in(RPC))
    ptp = calls.group_by(hard=pl.col("agent_id").is_in(overloaded.implode())).agg(
        rate=(pl.col("outcome") == "promise_to_pay").mean()
    )
    assert ptp.filter("hard")["rate"].item() < 0.8 * ptp.filter(~pl.col("hard"))["rate"].item()


def test_threatening_phrases_appear_in_well_under_one_percent_of_notes(sample):
    out, _ = sample
    notes = pl.concat([read(out, "calls")["notes"], read(out, "visits")["notes"]])
    threatening = notes.str.contains_any(list(THREAT_PHRASES)).fill_null(False).sum()
    assert 0 < threatening < 0.01 * notes.len()


def test_complaints_follow_violations_naming_the_agent(sample):
    out, _ = sample
    complaints = read(out, "complaints")
    provoked = complaints.filter(
        pl.col("category").is_in(["contact_time", "contact_frequency", "third_party_disclosure"])
    )
    assert provoked.height > 0 and provoked["agent_id"].null_count() == 0
    resolved = complaints.filter(pl.col("resolved_at").is_not_null())
    assert (resolved["resolved_at"] > resolved["received_at"]).all()
    assert complaints.filter(pl.col("status") == "open")["resolved_at"].null_count() == (
        complaints.filter(pl.col("status") == "open").height
    )


def test_foreign_export_is_gbk_with_titles_and_three_bad_rows(sample):
    out, _ = sample
    raw = (out / EXPORT_PATH).read_bytes()
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")
    lines = raw.decode("gbk").split("\r\n")
    assert tuple(lines[:2]) == TITLE_ROWS
    assert lines[2] == ",".join(HEADER)
    rows = pl.read_csv(raw.decode("gbk").encode(), skip_rows=2, infer_schema=False)
    assert 400 <= rows.height <= 600
    assert (rows["通话结果"] == "转接").sum() == 1
    assert (rows["通话时长"] == "abc").sum() == 1
    assert (rows["案件编号"] == "AC_UNKNOWN").sum() == 1
    known = read(out, "accounts")["account_id"].implode()
    assert (~rows["案件编号"].is_in(known)).sum() == 1
    assert rows["通话编号"].str.contains(r"^DX\d{8}$").all()
    promised = rows.filter(pl.col("通话结果") == "承诺还款")
    assert promised["承诺金额"].str.contains(r"^￥[\d,]+\.\d{2}$").all()


def test_a_single_week_generates(tmp_path):
    # coaching days were drawn from [n_days // 3, n_days - 7): empty for 7 days, which failed
    counts = generate(tmp_path / "one", seed=7, agents=12, accounts=1500, weeks=1)
    assert counts["calls"] > 0 and counts["coaching_sessions"] > 0
    sessions = read(tmp_path / "one", "coaching_sessions")
    assert sessions["session_date"].min() >= "2026-11-09"  # inside the one week


# --- account snapshots ------------------------------------------------------------------------


def snapshots_with_accounts(out: Path) -> pl.DataFrame:
    accounts = read(out, "accounts").select(
        "account_id",
        "close_reason",
        balance_at_assignment=pl.col("balance_at_assignment").cast(pl.Float64),
        assigned_day=pl.col("assigned_at").str.slice(0, 10).str.to_date(),
        closed_day=pl.col("closed_at").str.slice(0, 10).str.to_date(),
    )
    return (
        read(out, "account_snapshots")
        .with_columns(
            pl.col("snapshot_date").str.to_date(),
            pl.col("dpd").cast(pl.Int64),
            pl.col("balance").cast(pl.Float64),
        )
        .join(accounts, on="account_id", how="left")
    )


def test_snapshots_obey_the_contract(sample):
    out, _ = sample
    snaps = snapshots_with_accounts(out)
    assert snaps.height > 0 and snaps["balance_at_assignment"].null_count() == 0
    assert not snaps.select("account_id", "snapshot_date").is_duplicated().any()
    assert (snaps["dpd"] >= 0).all()
    assert (snaps["balance"] >= 0).all()
    assert (snaps["balance"] <= snaps["balance_at_assignment"]).all()
    assert snaps["status"].is_in(["open", "closed"]).all()
    assert (snaps["snapshot_date"] >= snaps["assigned_day"]).all()
    # snapshot days: the core system's Sundays and month ends
    days = snaps["snapshot_date"].unique()
    month_end = days.dt.month_end() == days
    assert ((days.dt.weekday() == 7) | month_end).all()
    # a closed account: open before its closing day, one closed snapshot, then nothing
    closed = snaps.filter(pl.col("status") == "closed")
    assert closed["closed_day"].null_count() == 0
    assert (closed["snapshot_date"] >= closed["closed_day"]).all()
    assert closed["account_id"].is_unique().all()
    last = snaps.group_by("account_id").agg(pl.col("snapshot_date").max().alias("last"))
    assert (
        closed.join(last, on="account_id")
        .select((pl.col("snapshot_date") == pl.col("last")).all())
        .item()
    )
    opened = snaps.filter(pl.col("status") == "open")
    assert (opened["snapshot_date"] < opened["closed_day"]).fill_null(True).all()
    paid_off = closed.filter(pl.col("close_reason").is_in(["paid", "settled"]))
    assert paid_off.height > 0 and (paid_off["balance"] == 0).all()


def test_snapshot_balance_and_dpd_follow_the_payments(sample):
    out, _ = sample
    snaps = snapshots_with_accounts(out).filter(pl.col("status") == "open")
    payments = read(out, "payments").select(
        "account_id",
        paid_day=pl.col("paid_at").str.slice(0, 10).str.to_date(),
        amount=pl.col("amount").cast(pl.Float64),
        reversal=pl.col("reverses_payment_id").is_not_null(),
    )
    paid = (
        snaps.select("account_id", "snapshot_date")
        .join(payments, on="account_id")
        .filter(pl.col("paid_day") <= pl.col("snapshot_date"))
        .group_by("account_id", "snapshot_date")
        .agg(
            net=pl.when("reversal").then(-pl.col("amount")).otherwise("amount").sum(),
            # a payment of the minimum due (5% of the assigned balance) in the last 30 days
            last_due=pl.col("paid_day").filter(~pl.col("reversal")).max(),
        )
    )
    check = snaps.join(paid, on=["account_id", "snapshot_date"], how="left").with_columns(
        expected=(pl.col("balance_at_assignment") - pl.col("net").fill_null(0)).clip(0)
    )
    assert (check["balance"] - check["expected"]).abs().max() < 0.015
    unpaid = check.filter(pl.col("net").is_null())
    grown = (unpaid["snapshot_date"] - unpaid["assigned_day"]).dt.total_days()
    assert unpaid.height > 0
    dpd_at_assignment = read(out, "accounts").select(
        "account_id", base=pl.col("dpd_at_assignment").cast(pl.Int64)
    )
    unpaid = unpaid.with_columns(grown=grown).join(dpd_at_assignment, on="account_id")
    assert (unpaid["dpd"] == unpaid["base"] + unpaid["grown"]).all()  # a day a day
    qualifying = (
        snaps.select("account_id", "snapshot_date", "balance_at_assignment")
        .join(payments.filter(~pl.col("reversal")), on="account_id")
        .filter(
            (pl.col("amount") >= 0.05 * pl.col("balance_at_assignment"))
            & (pl.col("paid_day") <= pl.col("snapshot_date"))
            & (pl.col("paid_day") > pl.col("snapshot_date") - pl.duration(days=30))
        )
        .select("account_id", "snapshot_date")
        .unique()
        .join(snaps, on=["account_id", "snapshot_date"])
    )
    assert qualifying.height > 0 and (qualifying["dpd"] == 0).all()  # the minimum due cures


def test_generate_writes_the_export_mapping_so_a_plain_load_takes_every_file(tmp_path):
    import duckdb
    from typer.testing import CliRunner

    from etl.__main__ import app
    from etl.generate.foreign import MAPPING_PATH, MAPPING_TEXT

    out = tmp_path / "x"
    runner = CliRunner()
    made = runner.invoke(
        app, ["generate", str(out), "--agents", "12", "--accounts", "500", "--weeks", "2"]
    )
    assert made.exit_code == 0, made.output
    assert (out / MAPPING_PATH).read_text(encoding="utf-8") == MAPPING_TEXT
    # the shipped sample's mapping is the generator's, not a hand-kept copy
    shipped = Path(__file__).parents[2] / "sample_data" / MAPPING_PATH
    assert shipped.read_text(encoding="utf-8") == MAPPING_TEXT

    db = tmp_path / "x.duckdb"
    loaded = runner.invoke(app, ["load", str(out), "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    data_files = [p for p in out.rglob("*.csv") if "mappings" not in p.parts]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.sql("select count(*) from loaded_files").fetchall()[0][0] == len(data_files)
        rejects = con.sql(
            "select table_name, count(*) from load_rejects group by all order by 1"
        ).fetchall()
        assert rejects == [("calls", 3)]  # the export's three planted bad rows, nothing else
        snapshots = con.sql("select count(*) from account_snapshots").fetchall()[0][0]
        assert snapshots == len(read(out, "account_snapshots"))
    finally:
        con.close()
