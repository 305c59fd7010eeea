"""The shipped foreign export: one day of a regional dialer's call report, as such reports come.

GBK, CRLF line ends, two title rows before a Chinese header, Chinese outcome codes, dates with
slashes, durations as HH:MM:SS and amounts with a currency sign and thousands separators; the
mapping `sample_data/mappings/dialer_cn.yaml` loads it. Three rows are deliberately bad so the
Data page shows quarantine. GBK has no half-width ``¥``, so amounts carry the full-width ``￥``
that Chinese spreadsheets use. The mapping is defined here once (``MAPPING_TEXT``) and written
with the export.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from etl.generate.accounts import Book
from etl.generate.common import DAY, HOUR, choose, day_secs, rng_for
from etl.generate.staff import COLLECTOR, Staff

STREAM = 6
EXPORT_DAY = date(2026, 11, 13)
EXPORT_PATH = Path("foreign") / f"dialer_export_{EXPORT_DAY.isoformat()}.csv"
#: where the export's mapping file goes: the loader reads every mapping in ``<DATA_DIR>/mappings/``
MAPPING_PATH = Path("mappings") / "dialer_cn.yaml"
#: the one definition of the export's mapping; ``generate`` writes it beside the export, so
#: ``etl load DIR`` right after ``etl generate DIR`` loads the export with no option
MAPPING_TEXT = """\
# The East China collection centre's dialer export (GBK, two title rows, Chinese headers and
# codes) loaded into `calls`. See docs/loading.md for every key a mapping file accepts.
table: calls
files: "dialer_export_*.csv"
encoding: gbk
delimiter: ","
skip_rows: 2          # 华东催收中心外呼明细报表 / 导出时间：…
header_rows: 1
columns:
  call_id: 通话编号
  account_id: 案件编号
  agent_id: 催收员工号
  started_at:
    date: 通话日期
    time: 通话时间
    format: "%Y/%m/%d %H:%M:%S"
  duration_s:
    from: 通话时长
    parse: hms
  direction:
    from: 呼叫方向
    recode:
      呼出: outbound
      呼入: inbound
  outcome:
    from: 通话结果
    recode:
      无人接听: no_answer
      占线: busy
      语音信箱: voicemail
      号码错误: wrong_number
      第三方接听: third_party
      本人接听: right_party
      承诺还款: promise_to_pay
      拒绝还款: refused
      有异议: dispute
      经济困难: hardship
      约定回电: callback
  promise_amount:
    from: 承诺金额
    parse: amount
  promise_date:
    from: 承诺日期
    format: "%Y/%m/%d"
  notes: 备注
"""
TITLE_ROWS = ("华东催收中心外呼明细报表", "导出时间：2026-11-14 08:05")
HEADER = (
    "通话编号",
    "案件编号",
    "催收员工号",
    "通话日期",
    "通话时间",
    "通话时长",
    "呼叫方向",
    "通话结果",
    "承诺金额",
    "承诺日期",
    "备注",
)
#: the dialer's outcome codes with their shares among outbound attempts
OUTCOME_CODES = (
    ("无人接听", 0.5),
    ("占线", 0.1),
    ("语音信箱", 0.12),
    ("号码错误", 0.02),
    ("第三方接听", 0.04),
    ("本人接听", 0.07),
    ("承诺还款", 0.05),
    ("拒绝还款", 0.03),
    ("有异议", 0.01),
    ("经济困难", 0.02),
    ("约定回电", 0.04),
)
UNREACHED = 3  # the first three codes have no talk time
PROMISE = 6
NOTES = (
    "客户表示资金困难",
    "已告知逾期后果",
    "客户同意月底还款",
    "无人接听",
    "家属接听",
    "客户要求协商",
    "客户态度良好",
    "号码停机",
)
GOOD_ROWS = 480


def write_foreign_export(out_dir: Path, seed: int, book: Book, staff: Staff) -> int:
    """Write the export; returns its number of data rows (good and bad)."""
    rng = rng_for(seed, STREAM, 0)
    start = day_secs(EXPORT_DAY)
    open_then = np.flatnonzero(book.active_on(start) & (staff.role[book.owner] == COLLECTOR))
    account = rng.choice(open_then, GOOD_ROWS)
    n = GOOD_ROWS
    outcome = choose(rng, n, [s for _, s in OUTCOME_CODES])
    inbound = (outcome >= UNREACHED + 2) & (rng.random(n) < 0.08)
    talk = np.where(outcome < UNREACHED, 0, rng.integers(20, 600, n))
    promise = outcome == PROMISE
    amount = np.maximum(100, np.round(book.balance[account] * rng.uniform(0.05, 0.3, n), 2))
    promise_day = pl.Series([EXPORT_DAY + timedelta(days=int(k)) for k in range(15)]).gather(
        rng.integers(0, 15, n)
    )
    clock = rng.integers(int(8.5 * HOUR), 21 * HOUR, n)
    rows = pl.DataFrame(
        {
            "案件编号": book.account_id[account],
            "催收员工号": staff.agent_id[book.owner[account]],
            "通话日期": EXPORT_DAY.strftime("%Y/%m/%d"),
            "通话时间": _clock(clock),
            "通话时长": _clock(talk),
            "呼叫方向": np.where(inbound, "呼入", "呼出"),
            "通话结果": pl.Series([c for c, _ in OUTCOME_CODES]).gather(outcome),
            "承诺金额": pl.select(pl.when(pl.Series(promise)).then(_yuan(amount))).to_series(),
            "承诺日期": pl.select(
                pl.when(pl.Series(promise)).then(promise_day.dt.strftime("%Y/%m/%d"))
            ).to_series(),
            "备注": pl.Series(list(NOTES)).gather(rng.integers(0, len(NOTES), n)),
        }
    ).sort("通话时间", maintain_order=True)
    rows = _with_bad_rows(
        rows.select(
            pl.format("DX{}", pl.int_range(26111301, 26111301 + n)).alias("通话编号"), pl.all()
        )
    )
    text = rows.write_csv(line_terminator="\r\n", null_value="")
    path = out_dir / EXPORT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(TITLE_ROWS) + "\r\n" + text).encode("gbk"))
    return rows.height


def write_mapping(out_dir: Path) -> Path:
    """Write the export's mapping file into ``out_dir/mappings/``; returns its path."""
    path = out_dir / MAPPING_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MAPPING_TEXT, encoding="utf-8")
    return path


def _with_bad_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """Corrupt three rows spread through the file: an unknown outcome code, a duration that is
    not a duration, an account the case system does not know."""
    n = rows.height
    position = pl.int_range(pl.len())
    return rows.with_columns(
        通话结果=pl.when(position == n // 4).then(pl.lit("转接")).otherwise(pl.col("通话结果")),
        通话时长=pl.when(position == n // 2).then(pl.lit("abc")).otherwise(pl.col("通话时长")),
        案件编号=pl.when(position == 3 * n // 4)
        .then(pl.lit("AC_UNKNOWN"))
        .otherwise(pl.col("案件编号")),
    )


def _clock(secs: np.ndarray) -> pl.Series:
    """Seconds → ``HH:MM:SS``."""
    s = pl.Series(secs % DAY)
    parts = [(s // HOUR), (s % HOUR) // 60, s % 60]
    return pl.select(
        pl.concat_str([p.cast(pl.String).str.zfill(2) for p in parts], separator=":")
    ).to_series()


def _yuan(amount: np.ndarray) -> pl.Series:
    """``￥12,345.60`` style text (amounts below one million)."""
    fen = np.round(amount * 100).astype(np.int64)
    yuan, cents_part = fen // 100, fen % 100
    thousands, units = yuan // 1000, yuan % 1000
    t = pl.Series(thousands).cast(pl.String)
    u = pl.Series(units).cast(pl.String)
    c = pl.Series(cents_part).cast(pl.String).str.zfill(2)
    return pl.select(
        pl.when(pl.Series(thousands) > 0)
        .then("￥" + t + "," + u.str.zfill(3) + "." + c)
        .otherwise("￥" + u + "." + c)
    ).to_series()
