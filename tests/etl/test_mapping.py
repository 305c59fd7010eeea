"""Foreign exports through mapping files: the shipped GBK dialer export and an .xlsx."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.mapping import MappingError, load_mapping
from tests.etl.loadkit import BASE, count, load, rejects, rows, write

ROOT = Path(__file__).resolve().parents[2]
DIALER_MAPPING = ROOT / "sample_data" / "mappings" / "dialer_cn.yaml"

DIALER_HEADER = "通话编号,案件编号,催收员工号,通话日期,通话时间,通话时长,呼叫方向,通话结果,承诺金额,承诺日期,备注"
DIALER_ROWS = [
    'DX00000001,AC1,A1,2026/01/15,14:03:22,00:03:25,呼出,承诺还款,"￥1,234.50",2026/01/20,客户同意还款',
    "DX00000002,AC2,A2,2026/01/15,15:10:00,00:00:00,呼出,无人接听,,,",
    "DX00000003,AC1,A1,2026/01/15,16:00:00,00:01:00,呼入,转接,,,转给主管",  # unknown code
    "DX00000004,AC1,A1,2026/01/15,16:30:00,abc,呼出,占线,,,",  # bad duration
    "DX00000005,AC_UNKNOWN,A1,2026/01/15,17:00:00,00:00:30,呼出,本人接听,,,",  # unknown case
]


def dialer_export() -> bytes:
    """A small export shaped like the shipped one: GBK, CRLF, two title rows."""
    text = "\r\n".join(
        ["华东催收中心外呼明细报表", "导出时间：2026-01-16 08:05", DIALER_HEADER, *DIALER_ROWS]
    )
    return (text + "\r\n").encode("gbk")


@pytest.fixture
def dialer_db(tmp_path: Path) -> Path:
    data = write(
        tmp_path / "data",
        {
            **BASE,
            "foreign/dialer_export_2026-01-15.csv": dialer_export(),
            "mappings/dialer_cn.yaml": DIALER_MAPPING.read_text(encoding="utf-8"),
        },
    )
    db = tmp_path / "db.duckdb"
    report = load(db, data)
    assert report.exit_code == 0, report.message
    return db


def test_gbk_dialer_export_loads_through_its_mapping(dialer_db: Path) -> None:
    got = rows(
        dialer_db,
        """
        SELECT call_id, account_id, strftime(started_at, '%Y-%m-%d %H:%M:%S'), duration_s,
               direction, outcome, promise_amount, promise_date, notes
        FROM calls ORDER BY call_id""",
    )
    assert [g[:6] for g in got] == [
        ("DX00000001", "AC1", "2026-01-15 14:03:22", 205, "outbound", "promise_to_pay"),  # 3*60+25
        ("DX00000002", "AC2", "2026-01-15 15:10:00", 0, "outbound", "no_answer"),
    ]
    assert str(got[0][6]) == "1234.50" and str(got[0][7]) == "2026-01-20"
    assert got[0][8] == "客户同意还款"
    assert rows(
        dialer_db, "SELECT encoding, mapping FROM loaded_files WHERE table_name = 'calls'"
    ) == [("gbk", "dialer_cn.yaml")]


def test_mapped_rows_that_break_the_contract_keep_their_original_line(dialer_db: Path) -> None:
    # title rows are lines 1-2, the header line 3, data from line 4
    assert [(r[1], r[2], r[3], r[4]) for r in rejects(dialer_db)] == [
        (6, "outcome", "not_in_vocabulary", "转接"),
        (7, "duration_s", "bad_number", "abc"),
        (8, "account_id", "unknown_account", "AC_UNKNOWN"),
    ]


def test_the_shipped_sample_loads_with_only_the_three_planted_rejects(sample_db: Path) -> None:
    got = rows(
        sample_db,
        """
        SELECT f.path LIKE '%dialer_export%', r.reason, r.value
        FROM load_rejects r JOIN loaded_files f USING (file_id) ORDER BY r.line""",
    )
    assert sorted(got) == sorted(
        [
            (True, "not_in_vocabulary", "转接"),
            (True, "bad_number", "abc"),
            (True, "unknown_account", "AC_UNKNOWN"),
        ]
    )
    assert rows(sample_db, "SELECT count(*) FROM loaded_files WHERE status <> 'loaded'") == [(0,)]


def test_xlsx_with_two_line_headers_constants_and_derived_ids(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Payments"
    ws.append(["Bank receipts, January"])
    ws.append(["案件编号\nCASE ID", "入账日期\nDATE", "入账时间\nTIME", "金额\nAMOUNT", "渠道"])
    ws.append(["AC1", "15.01.2026", "09:30", "¥1,200.00", "银行转账"])
    ws.append(["AC2", "16.01.2026", "10:00", "35.5", "支付宝"])
    ws.append(["AC9", "16.01.2026", "11:00", "10.00", "支付宝"])  # unknown account
    ws.append(["AC1", "16.01.2026", "12:00", "-3", "支付宝"])  # amount must be > 0
    data = tmp_path / "data"
    data.mkdir()
    wb.save(data / "bank_2026-01.xlsx")
    write(
        data,
        {
            **BASE,
            "mappings/bank.yaml": """
table: payments
files: "bank_*.xlsx"
sheet: Payments
skip_rows: 1
header_rows: 1
columns:
  payment_id: {hash: ["案件编号\\nCASE ID", "入账日期\\nDATE", "入账时间\\nTIME", "金额\\nAMOUNT"], prefix: "BK"}
  account_id: "案件编号\\nCASE ID"
  paid_at: {date: "入账日期\\nDATE", time: "入账时间\\nTIME", format: "%d.%m.%Y %H:%M"}
  amount: {from: "金额\\nAMOUNT", parse: amount}
  method: {from: 渠道, recode: {银行转账: bank_transfer, 支付宝: alipay}}
""",
        },
    )
    db = tmp_path / "db.duckdb"
    report = load(db, data)
    assert report.exit_code == 0, report.message
    got = rows(
        db,
        "SELECT account_id, strftime(paid_at, '%Y-%m-%d %H:%M'), amount, method, "
        "payment_id LIKE 'BK%' AND length(payment_id) = 18 FROM payments ORDER BY paid_at",
    )
    assert [(a, t, str(m), meth, ok) for a, t, m, meth, ok in got] == [
        ("AC1", "2026-01-15 09:30", "1200.00", "bank_transfer", True),
        ("AC2", "2026-01-16 10:00", "35.50", "alipay", True),
    ]
    # sheet rows: title 1, header 2, data from 3
    assert [(r[1], r[3]) for r in rejects(db)] == [(5, "unknown_account"), (6, "out_of_range")]
    # the derived id is a hash of the row: a later workbook repeating those rows adds nothing
    ws["A1"] = "Bank receipts, January (re-export)"
    wb.save(data / "bank_2026-01-b.xlsx")
    again = load(db, data)
    assert again.totals["duplicates"] == 2 and count(db, "payments") == 2


def test_a_mapping_that_names_an_unknown_column_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("table: calls\nfiles: '*.csv'\ncolumns:\n  colour: Farbe\n", encoding="utf-8")
    with pytest.raises(MappingError, match="calls has no column 'colour'"):
        load_mapping(bad)


def test_encoding_option_overrides_detection(tmp_path: Path) -> None:
    # Latin-1 bytes that happen to decode as GB18030: detection would garble them
    agents = "agent_id,agent_name,team_id,role\nA1,José,T1,collector\n".encode("latin-1")
    data = write(tmp_path / "data", {"agents.csv": agents})
    db = tmp_path / "db.duckdb"
    load(db, data, encoding="latin-1")
    assert rows(db, "SELECT agent_name FROM agents") == [("José",)]


def test_xlsx_real_date_and_time_cells(tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Plan", "No", "Due", "Amount"])
    ws.append(["P1", 1, dt.date(2026, 2, 1), 300])
    ws.append(["P1", 2, dt.date(2026, 3, 1), 300.5])
    data = tmp_path / "data"
    data.mkdir()
    wb.save(data / "schedule.xlsx")
    write(
        data,
        {
            **BASE,
            "mappings/schedule.yaml": """
table: plan_installments
files: "schedule*.xlsx"
columns: {plan_id: Plan, installment_no: No, due_date: Due, amount_due: Amount}
""",
        },
    )
    db = tmp_path / "db.duckdb"
    assert load(db, data).exit_code == 0
    got = rows(
        db,
        "SELECT installment_no, CAST(due_date AS VARCHAR), CAST(amount_due AS VARCHAR) "
        "FROM plan_installments ORDER BY 1",
    )
    assert got == [(1, "2026-02-01", "300.00"), (2, "2026-03-01", "300.50")]
