"""The one contact table and the macros that write the period and the slicers once
(refresh_contacts.sql, refresh_call_facts.sql, refresh_macros.sql), on a hand-made fixture.
Site zone Asia/Shanghai (UTC+8); the period is Mon 2026-03-02 .. Sun 2026-03-08.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import duckdb
import pytest

from tests.builder import build_db

SITE = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 2, tzinfo=SITE)
END = dt.datetime(2026, 3, 9, tzinfo=SITE)
NO_SLICERS: dict[str, list[str]] = {
    "teams": [],
    "agents": [],
    "strategies": [],
    "products": [],
    "buckets": [],
}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return build_db(
        {
            "agents": [
                {"agent_id": "A1", "team_id": "T1"},
                {"agent_id": "A2", "team_id": "T2"},
            ],
            "accounts": [
                {"account_id": "X1", "dpd_at_assignment": 10},  # bucket M1, standard
                {
                    "account_id": "NY",
                    "dpd_at_assignment": 45,  # bucket M2
                    "strategy": "soft",
                    "timezone": "America/New_York",
                },
            ],
            "calls": [
                # before the period, on the period's first instant, on its last, after it
                {"call_id": "c0", "account_id": "X1", "started_at": "2026-03-01 23:59:59"},
                {"call_id": "c1", "account_id": "X1", "started_at": "2026-03-02 00:00:00"},
                {
                    "call_id": "c2",
                    "account_id": "NY",
                    "agent_id": "A2",
                    "started_at": "2026-03-08 23:59:59",
                    "outcome": "no_answer",
                },
                {"call_id": "c3", "account_id": "X1", "started_at": "2026-03-09 00:00:00"},
            ],
            "visits": [
                {"visit_id": "v1", "account_id": "NY", "visited_at": "2026-03-04 10:00:00"},
            ],
            "messages": [
                {"message_id": "m1", "account_id": "X1", "sent_at": "2026-03-05 10:00:00"},
            ],
        }
    )


def ids(con: duckdb.DuckDBPyConnection, macro: str, as_of: dt.datetime, **slicers) -> list[str]:
    chosen = {**NO_SLICERS, **slicers}
    rows = con.execute(
        f"SELECT contact_id FROM {macro}($start, $end, $as_of, $teams, $agents, $strategies,"
        " $products, $buckets) ORDER BY contact_id",
        {"start": START, "end": END, "as_of": as_of, **chosen},
    ).fetchall()
    return [r[0] for r in rows]


def test_contacts_in_bounds_start_inclusive_end_and_as_of_exclusive(con):
    # c0 is before the period, c3 at END (excluded); c1, v1, m1, c2 inside
    assert ids(con, "contacts_in", END) == ["c1", "c2", "m1", "v1"]
    # as_of on 2026-03-05 10:00 leaves out m1 (at as_of) and c2 (after)
    as_of = dt.datetime(2026, 3, 5, 10, tzinfo=SITE)
    assert ids(con, "contacts_in", as_of) == ["c1", "v1"]


def test_contacts_in_each_slicer(con):
    # team and agent are the acting agent's: only c2 is A2's (team T2)
    assert ids(con, "contacts_in", END, teams=["T2"]) == ["c2"]
    assert ids(con, "contacts_in", END, agents=["A2"]) == ["c2"]
    # strategy / bucket are the account's: NY (soft, M2) holds c2 and v1
    assert ids(con, "contacts_in", END, strategies=["soft"]) == ["c2", "v1"]
    assert ids(con, "contacts_in", END, buckets=["M1"]) == ["c1", "m1"]
    assert ids(con, "contacts_in", END, products=["mortgage"]) == []
    # slicers combine with AND: on soft accounts, team T1 (A1) made only the visit v1
    assert ids(con, "contacts_in", END, teams=["T1"], strategies=["soft"]) == ["v1"]


def test_calls_in_only_calls_with_their_call_facts(con):
    assert ids(con, "calls_in", END) == ["c1", "c2"]
    rows = con.execute(
        "SELECT contact_id, tz, local_day, local_hour, cap_rank, calls_7d, last_rpc_call_id,"
        " duration_s FROM calls_in($start, $end, $end, [], [], [], [], []) ORDER BY contact_id",
        {"start": START, "end": END},
    ).fetchall()
    assert rows == [
        # c1: first connected outbound call of X1's local day 03-02 (c0 is on 03-01): rank 1;
        # outbound calls from 00:00 on 02-24 up to c1: c0 + c1 = 2; latest earlier RPC: c0
        ("c1", "Asia/Shanghai", dt.date(2026, 3, 2), 0, 1, 2, "c0", 60),
        # c2 at 2026-03-08 23:59:59 +08 = 15:59:59 UTC = 11:59:59 EDT (UTC-4: daylight time
        # began that morning), local day 03-08; not connected: no rank; NY's first outbound call
        ("c2", "America/New_York", dt.date(2026, 3, 8), 11, None, 1, None, 60),
    ]


def test_refresh_leaves_one_contact_table(con):
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    views = {
        r[0]
        for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    }
    assert {"contact_rows", "call_facts"} <= tables
    assert "noncall_facts" not in tables
    assert views == {"contacts"}


def day_counts(con, as_of: dt.datetime, **slicers) -> list[tuple]:
    """contact_days_in's rows: (site day, agent, channel, attempts, rpc)."""
    chosen = {**NO_SLICERS, **slicers}
    return con.execute(
        "SELECT site_date, agent_id, channel, attempts, rpc FROM contact_days_in($start, $end,"
        " $as_of, $teams, $agents, $strategies, $products, $buckets) ORDER BY ALL",
        {"start": START, "end": END, "as_of": as_of, **chosen},
    ).fetchall()


def test_contact_days_in_whole_days_from_the_aggregate(con):
    # the refresh's contact_days hold every day (c0 and c3 too); the period reads 03-02..03-08:
    # c1 (A1 phone, right party), v1 (A1 visit, met the debtor), m1 (sms with no agent, no
    # reply),
    # c2 (A2 phone, no answer)
    assert con.execute("SELECT sum(attempts) FROM contact_days").fetchone() == (6,)
    assert day_counts(con, END) == [
        (dt.date(2026, 3, 2), "A1", "phone", 1, 1),
        (dt.date(2026, 3, 4), "A1", "visit", 1, 1),
        (dt.date(2026, 3, 5), None, "sms", 1, 0),
        (dt.date(2026, 3, 8), "A2", "phone", 1, 0),
    ]


def test_contact_days_in_counts_the_day_as_of_cuts_from_the_contacts(con):
    # as_of 2026-03-05 10:00: 03-02 and 03-04 are whole days (aggregate); on 03-05 only
    # contacts before 10:00 count, and m1 is at 10:00 itself -> no 03-05 row
    as_of = dt.datetime(2026, 3, 5, 10, tzinfo=SITE)
    assert day_counts(con, as_of) == [
        (dt.date(2026, 3, 2), "A1", "phone", 1, 1),
        (dt.date(2026, 3, 4), "A1", "visit", 1, 1),
    ]
    # one second later m1 is in, counted from the contact rows
    later = as_of + dt.timedelta(seconds=1)
    assert day_counts(con, later)[-1] == (dt.date(2026, 3, 5), None, "sms", 1, 0)


def test_contact_days_in_account_slicers_count_from_the_contacts(con):
    # contact_days has no strategy: with one chosen, every day comes from the contact rows;
    # NY (soft) holds v1 and c2
    assert day_counts(con, END, strategies=["soft"]) == [
        (dt.date(2026, 3, 4), "A1", "visit", 1, 1),
        (dt.date(2026, 3, 8), "A2", "phone", 1, 0),
    ]
    # the acting agent's team filters the aggregate's rows as well
    assert day_counts(con, END, teams=["T2"]) == [(dt.date(2026, 3, 8), "A2", "phone", 1, 0)]
