"""One contract table's batch in a load, in SQL: every new file read as text into one checked
table (malformed records quarantined, segment by segment), validated, then appended (event
logs, by id) or merged (reference tables, by key, with every changed value in the change
log)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl

from etl.contract import RETRYABLE_REASONS, TABLES_BY_NAME, Table
from etl.mapping import Mapping, MappingError, compile_mapping
from etl.plan import PlannedFile
from etl.read import (
    RawFile,
    RecordMap,
    RefusedFile,
    Segment,
    close_file,
    copy_tail,
    line_text,
    open_segment,
    read_file,
    record_map,
    record_map_exact,
    segment_rejects,
)
from etl.reports import Malformed
from etl.validate import (
    REF_REASON,
    TEAM_REFS,
    Rules,
    check_params,
    checked_select_sql,
    q,
    ref_check_sql,
)
from queries.settings import get_settings

# rows of one file sort by (file order, line): _seq = order * 2**40 + line
SEQ_SHIFT = 1 << 40
PARAM = re.compile(r"\$(\w+)")
#: a record the reader sets aside (wrong number of fields, unterminated quote)
MALFORMED = "malformed_record"
#: the raw text kept of a quarantined record (characters); the line number finds the rest
REJECT_TEXT_MAX = 2_000
#: unterminated quotes one file may hold before it is refused as not being CSV at all
MAX_SEGMENTS = 100


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None):
    """Run ``sql`` binding only the parameters it names; return all rows."""
    used = set(PARAM.findall(sql))
    return con.execute(sql, {k: v for k, v in (params or {}).items() if k in used}).fetchall()


# --- finding files -------------------------------------------------------------------------


class TableLoad:
    """Loads one contract table's batch inside the open (temporary) database."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: Table, load_id: int, rules: Rules):
        self.con = con
        self.table = table
        self.load_id = load_id
        self.rules = rules
        self.loaded: Counter[int] = Counter()
        self.rejected: Counter[int] = Counter()
        self.duplicates: Counter[int] = Counter()
        self.values_updated = 0
        self.cols = table.column_names

    # checking -------------------------------------------------------------------------------

    def start(self) -> None:
        """Create the empty table every file is validated into (``chk``)."""
        cols = ", ".join(f"{q(c)} VARCHAR" for c in self.cols)
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE retried ({cols}, _line BIGINT, _file_id INTEGER, "
            "_ord INTEGER, _seq BIGINT, _cols UBIGINT, _rload INTEGER)"
        )
        self._check_into("CREATE OR REPLACE TEMP TABLE chk AS", "retried", {})

    def _check_into(self, head: str, source: str, params: dict[str, Any]) -> int:
        """Validate ``source`` into chk; the number of rows written."""
        sql = f"{head} {checked_select_sql(self.table, source, self.rules)}"
        result = execute(self.con, sql, {**check_params(self.table, self.rules), **params})
        return result[0][0] if result else 0

    def add_retries(self) -> int:
        """Check again the rows earlier loads rejected retryably (order 0: they count as
        earlier than any new file), taking them out of load_rejects: whatever they fail now
        is written again, once."""
        extract = ", ".join(f"json_extract_string(r.record, '$.{q(c)}')" for c in self.cols)
        mask = " + ".join(
            f"CASE WHEN list_contains(f.columns, '{c}') THEN {1 << i} ELSE 0 END"
            for i, c in enumerate(self.cols)
        )
        params = {"table": self.table.name}
        execute(
            self.con,
            f"""
            INSERT INTO retried
            SELECT {extract}, r.line, r.file_id, 0, r.line, CAST({mask} AS UBIGINT), r.load_id
            FROM load_rejects r JOIN loaded_files f USING (file_id)
            WHERE r.table_name = $table AND r.retryable
        """,
            params,
        )
        execute(
            self.con, "DELETE FROM load_rejects WHERE table_name = $table AND retryable", params
        )
        count = self._check_into("INSERT INTO chk", "retried", {})
        self.con.execute("DROP TABLE retried")
        return count

    def add_file(self, planned: PlannedFile, order: int, work: Path) -> None:
        """Read and validate one (inspected) file into chk, or raise RefusedFile."""
        rep, mapping, facts = planned.report, planned.mapping, planned.facts
        assert mapping is not None and facts is not None
        xlsx_max = get_settings().xlsx_max_uncompressed_mb * 1024 * 1024
        raw = read_file(
            self.con, planned.path, facts, mapping.read, work, f"raw_{rep.file_id}", xlsx_max
        )
        try:
            proj = compile_mapping(mapping, raw.headers)
        except MappingError as exc:
            raise RefusedFile(str(exc)) from exc
        if proj.missing_required:
            raise RefusedFile(f"missing required column(s): {', '.join(proj.missing_required)}")
        mask = sum(1 << self.cols.index(c) for c in proj.carried)
        params = {**proj.params, "fid": rep.file_id, "ord": order, "mask": mask, "shift": SEQ_SHIFT}
        source = f"""(SELECT {proj.select}, _line, $fid::INTEGER AS _file_id,
            $ord::INTEGER AS _ord, $ord * $shift + _line AS _seq, $mask::UBIGINT AS _cols,
            NULL::INTEGER AS _rload FROM {raw.relation})"""
        malformed: list[Malformed] = []
        try:
            if raw.segment is None:
                rows = self._insert_rows(source, params)
            else:
                rows = self._add_segments(raw, mapping, source, params, order, work, malformed)
        except RefusedFile:
            execute(self.con, "DELETE FROM chk WHERE _ord = $ord", {"ord": order})
            raise
        finally:
            close_file(self.con, raw)
        self._quarantine(rep.file_id, order, malformed)
        rep.rows_read = rows + len(malformed)
        rep.columns, rep.extra_columns = proj.carried, proj.extra
        rep.mapping = mapping.name or None

    def _insert_rows(self, source: str, params: dict[str, Any]) -> int:
        try:
            return self._check_into("INSERT INTO chk", source, params)
        except duckdb.Error as exc:  # the body of a lazily read file cannot be read
            raise RefusedFile(f"cannot be read: {str(exc).splitlines()[0]}") from exc

    def _add_segments(
        self,
        raw: RawFile,
        mapping: Mapping,
        source: str,
        params: dict[str, Any],
        order: int,
        work: Path,
        malformed: list[Malformed],
    ) -> int:
        """Read a CSV body into chk, scan by scan. Records with the wrong number of fields or
        over the line limit are set aside by DuckDB (``store_rejects``) and quarantined; an
        unterminated quote, which would swallow every later line into one record, quarantines
        its first line only and the body is read again from the next line (a new segment)."""
        max_line = get_settings().load_max_record_bytes
        seg = raw.segment
        assert seg is not None
        width = len(raw.headers)
        total = 0
        lenient = False
        for _ in range(MAX_SEGMENTS):
            open_segment(
                self.con, seg, width, mapping.read, raw.relation, max_line, lenient=lenient
            )
            try:
                rows = self._insert_rows(source, params)
            except RefusedFile as refused:
                # a stray quote before a line break can stop DuckDB's strict parser outright;
                # the lenient one sets the records aside, and the runaway rule below applies
                if lenient or "state machine" not in str(refused):
                    raise
                lenient = True
                continue
            rejected = segment_rejects(self.con, raw.relation, REJECT_TEXT_MAX)
            base = seg.line_offset + seg.skip
            if not rejected and seg.physical_lines == seg.skip + rows:
                return total + rows  # one line per record, nothing set aside: lines are right
            positions = np.asarray([r[0] for r in rejected], dtype=np.int64)
            rmap, runaway = self._map_records(
                seg, raw.delimiter, positions, rejected, rows, lenient=lenient
            )
            bad_idx = rmap.index_of(positions) if len(positions) else positions
            limit = len(rmap.start_line) if runaway is None else runaway
            good_lines = self._good_lines(rmap, seg, bad_idx, limit)
            if runaway is not None:
                # DuckDB resynchronised somewhere after the runaway quote: drop what it read
                # there; the next segment reads those lines again
                execute(
                    self.con,
                    "DELETE FROM chk WHERE _ord = $ord AND _line > $cut",
                    {"ord": order, "cut": base + len(good_lines)},
                )
                rows = len(good_lines)
            self._renumber(order, base, good_lines)
            malformed += self._set_aside(rmap, seg, bad_idx, rejected, limit)
            total += rows
            if runaway is None:
                return total
            seg = self._after_runaway(rmap, seg, runaway, work, malformed)
        raise RefusedFile(f"more than {MAX_SEGMENTS} unterminated quotes: not a CSV file?")

    @staticmethod
    def _good_lines(rmap: RecordMap, seg: Segment, bad_idx: np.ndarray, limit: int) -> np.ndarray:
        """The physical start lines of the records read well: past the header, not blank, not
        set aside, before the runaway quote (``limit``)."""
        bad = np.zeros(len(rmap.start_line), dtype=bool)
        bad[bad_idx] = True
        before = np.arange(len(rmap.start_line)) < limit
        keep = (rmap.start_line > seg.skip) & ~rmap.blank & ~bad & before
        return rmap.start_line[keep] + seg.line_offset

    @staticmethod
    def _set_aside(
        rmap: RecordMap, seg: Segment, bad_idx: np.ndarray, rejected: list[tuple], limit: int
    ) -> list[Malformed]:
        """The records DuckDB set aside before ``limit``, once each, with their physical line."""
        malformed: list[Malformed] = []
        seen: set[int] = set()
        for i, (_pos, kind, message, text) in zip(bad_idx, rejected, strict=True):
            i = int(i)
            if i in seen or i >= limit:
                continue
            seen.add(i)
            reason = "record_too_large" if kind == "LINE SIZE OVER MAXIMUM" else MALFORMED
            line = int(rmap.start_line[i]) + seg.line_offset
            malformed.append(Malformed(line, reason, kind, message, text or ""))
        return malformed

    @staticmethod
    def _after_runaway(
        rmap: RecordMap, seg: Segment, runaway: int, work: Path, malformed: list[Malformed]
    ) -> Segment:
        """Quarantine the runaway quote's first line; the next segment starts on the line after."""
        start = int(rmap.end_byte[runaway - 1]) + 1 if runaway > 0 else 0
        text, next_byte = line_text(seg.path, start, REJECT_TEXT_MAX * 4)
        line = int(rmap.start_line[runaway]) + seg.line_offset
        malformed.append(Malformed(line, MALFORMED, "UNQUOTED VALUE", "unterminated quote", text))
        tail, tail_lines = copy_tail(seg.path, next_byte, work)
        return Segment(tail, 0, line, tail_lines)

    @staticmethod
    def _map_records(
        seg: Segment,
        delimiter: str,
        positions: np.ndarray,
        rejected: list[tuple],
        rows: int,
        *,
        lenient: bool = False,
    ) -> tuple[RecordMap, int | None]:
        """The segment's records and the first runaway one (an unterminated quote spanning
        several lines), if any. The vectorised map must account for every record DuckDB
        read; when it does not (quotes it counts otherwise), Python's CSV parser maps them.
        A lenient scan reports a runaway quote as missing columns: any rejected record that
        spans several lines is then taken for one."""
        for mapper in (record_map, record_map_exact):
            rmap = mapper(seg.path, delimiter)
            if len(rmap.start_line) == 0:
                continue
            bad_idx = rmap.index_of(positions) if len(positions) else positions
            runaway = next(
                (
                    int(i)
                    for i, r in zip(bad_idx, rejected, strict=True)
                    if (lenient or r[1] == "UNQUOTED VALUE") and rmap.span(int(i)) > 1
                ),
                None,
            )
            if runaway is not None:
                return rmap, runaway
            bad = np.zeros(len(rmap.start_line), dtype=bool)
            bad[bad_idx] = True
            if int(((rmap.start_line > seg.skip) & ~rmap.blank & ~bad).sum()) == rows:
                return rmap, None
        raise RefusedFile("cannot match records to lines (unbalanced quotes?)")

    def _renumber(self, order: int, base: int, good_lines: np.ndarray) -> None:
        """Give this scan's rows (numbered ``base + 1…``) their physical start lines."""
        numbered = np.arange(1, len(good_lines) + 1) + base
        if np.array_equal(numbered, good_lines):
            return
        self.con.register("true_lines", pl.DataFrame({"_numbered": numbered, "_true": good_lines}))
        execute(
            self.con,
            """
            UPDATE chk SET _line = t._true, _seq = $ord * $shift + t._true
            FROM true_lines t WHERE chk._ord = $ord AND chk._line = t._numbered
        """,
            {"ord": order, "shift": SEQ_SHIFT},
        )
        self.con.unregister("true_lines")

    def _quarantine(self, file_id: int | None, order: int, malformed: list[Malformed]) -> None:
        """Records the reader set aside: one load_rejects row each, with the physical line,
        the raw text (cut) and DuckDB's reason, counted as rejected rows of the file."""
        if not malformed:
            return
        frame = pl.DataFrame(
            {
                "line": [m.line for m in malformed],
                "reason": [m.reason for m in malformed],
                "value": [m.text for m in malformed],
                "error": [f"{m.kind}: {m.message}" for m in malformed],
            },
            schema={"line": pl.Int64, "reason": pl.String, "value": pl.String, "error": pl.String},
        )
        self.con.register("malformed_rows", frame)
        execute(
            self.con,
            """
            INSERT INTO load_rejects
            SELECT $load_id, $fid, $table, line, NULL, reason, value, false,
                   to_json({'raw_text': value, 'error': error})
            FROM malformed_rows
        """,
            {"load_id": self.load_id, "fid": file_id, "table": self.table.name},
        )
        self.con.unregister("malformed_rows")
        self.rejected[order] += len(malformed)

    def finish_checks(self) -> None:
        """Check references, reject the rows that failed; the rest are ``ok``."""
        refs = ref_check_sql(self.table)
        if refs:
            self.con.execute(refs)
        self._reject("chk", "_err", "_record")
        self.con.execute(
            "CREATE OR REPLACE TEMP VIEW ok AS SELECT * EXCLUDE (_err, _record) "
            "FROM chk WHERE _err IS NULL"
        )

    def _reject(self, relation: str, err: str, record: str) -> None:
        """Write the rows of ``relation`` whose ``err`` is set to load_rejects and count them."""
        params = {
            "load_id": self.load_id,
            "table": self.table.name,
            "retryable": list(RETRYABLE_REASONS),
        }
        execute(
            self.con,
            f"""
            INSERT INTO load_rejects
            SELECT coalesce(_rload, $load_id), _file_id, $table, _line, {err}.column,
                   {err}.reason, {err}.value, list_contains($retryable, {err}.reason), {record}
            FROM {relation} WHERE {err} IS NOT NULL
        """,
            params,
        )
        self._count(self.rejected, relation, f"{err} IS NOT NULL")

    def _count(self, counter: Counter[int], relation: str, where: str = "true") -> None:
        rows = execute(
            self.con, f"SELECT _ord, count(*) FROM {relation} WHERE {where} GROUP BY _ord"
        )
        counter.update(dict(rows))

    def _typed_record(self, alias: str = "") -> str:
        prefix = f"{alias}." if alias else ""
        return (
            "to_json(struct_pack("
            + ", ".join(f"{q(c)} := {prefix}{q(c)}" for c in self.cols)
            + "))"
        )

    # event logs ------------------------------------------------------------------------------

    def append_events(self) -> None:
        """Append new ids; settle repeated ids as duplicates, updates or conflicts."""
        t, key = q(self.table.name), q(self.table.key[0])
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE cids AS
            SELECT {key} FROM ok GROUP BY {key} HAVING count(*) > 1
            UNION SELECT {key} FROM ok WHERE {key} IN (SELECT {key} FROM {t})
        """)
        if execute(self.con, "SELECT count(*) FROM cids")[0][0] == 0:
            self.con.execute("CREATE OR REPLACE TEMP VIEW new_rows AS SELECT * FROM ok")
        else:
            self._settle_repeats()
        final = "new_rows"
        if self.table.name == "payments" and self._check_reversals():
            self.con.execute("""
                CREATE OR REPLACE TEMP VIEW final_rows AS SELECT * FROM new_rows
                WHERE payment_id NOT IN (SELECT payment_id FROM rev WHERE _rerr IS NOT NULL)
            """)
            final = "final_rows"
        self._count(self.loaded, final)
        self._warn(final)
        self._insert(final)

    def _settle_repeats(self) -> None:
        """Rows whose id is already loaded or repeats within the batch: a repeat that differs in
        a fixed column is rejected, one that fills in an updatable column updates the loaded
        row (logged), an identical one is a duplicate; the rest are new rows."""
        key = q(self.table.key[0])
        updatable = [c.name for c in self.table.columns if c.updatable]
        self._anchor_repeats()
        self._judge_repeats(updatable)
        first = (
            self._apply_updates(updatable) if updatable else "SELECT c.* EXCLUDE (_k) FROM cont c"
        )
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE new_rows_t AS
            SELECT * FROM ok WHERE {key} NOT IN (SELECT {key} FROM cids)
            UNION ALL BY NAME
            {first} WHERE c._k = 1 AND c.{key} NOT IN (SELECT {key} FROM {q(self.table.name)})
        """)
        self.con.execute("CREATE OR REPLACE TEMP VIEW new_rows AS SELECT * FROM new_rows_t")

    def _anchor_repeats(self) -> None:
        """``cont``: the batch's rows of repeated ids, numbered; ``anchor``: each id's loaded row,
        or its first row in the batch when it is new."""
        t, key = q(self.table.name), q(self.table.key[0])
        cols = ", ".join(q(c) for c in self.cols)
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE cont AS
            SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY _seq) AS _k
            FROM ok WHERE {key} IN (SELECT {key} FROM cids)
        """)
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE anchor AS
            SELECT {cols}, true AS _old FROM {t} WHERE {key} IN (SELECT {key} FROM cids)
            UNION ALL BY NAME
            SELECT {cols}, false AS _old FROM cont WHERE _k = 1 AND {key} NOT IN (SELECT {key} FROM {t})
        """)

    def _judge_repeats(self, updatable: list[str]) -> None:
        """``cand``: each repeat against its anchor: a conflict in a fixed column (rejected), a
        change to an updatable one, or neither (a duplicate); counted."""
        key = self.table.key[0]
        fixed = [c for c in self.cols if c not in updatable and c != key]
        conflict = " ".join(
            f"WHEN (c._cols >> {self.cols.index(c_)}) & 1 = 1 AND c.{q(c_)} IS DISTINCT FROM "
            f"a.{q(c_)} THEN {{'column': '{c_}', 'reason': 'duplicate_id_conflict', "
            f"'value': CAST(c.{q(c_)} AS VARCHAR)}}"
            for c_ in fixed
        )
        changes = (
            " OR ".join(
                f"(c.{q(u)} IS NOT NULL AND c.{q(u)} IS DISTINCT FROM a.{q(u)})" for u in updatable
            )
            or "false"
        )
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE cand AS
            SELECT c.*, CASE {conflict} END AS _conflict, {changes} AS _changes,
                   {self._typed_record("c")} AS _crecord
            FROM cont c JOIN anchor a USING ({q(key)})
            WHERE a._old OR c._k > 1
        """)
        self._reject("cand", "_conflict", "_crecord")
        self._count(self.loaded, "cand", "_conflict IS NULL AND _changes")
        self._count(self.duplicates, "cand", "_conflict IS NULL AND NOT _changes")

    def _apply_updates(self, updatable: list[str]) -> str:
        """Write the latest non-empty value of each updatable column to the loaded rows (the
        change logged first); the SQL of the batch's first rows with those values."""
        t, key = q(self.table.name), q(self.table.key[0])
        latest = ", ".join(
            f"arg_max({{'v': {q(u)}}}, CASE WHEN {q(u)} IS NOT NULL THEN _seq END).v AS {q(u)}"
            for u in updatable
        )
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE upd AS
            SELECT {key}, {latest} FROM cand WHERE _conflict IS NULL AND _changes
            GROUP BY {key}
        """)
        # an empty later value never erases a known one
        self._log_changes("upd", {u: f"coalesce(n.{q(u)}, o.{q(u)})" for u in updatable})
        sets = ", ".join(f"{q(u)} = coalesce(upd.{q(u)}, {t}.{q(u)})" for u in updatable)
        self.con.execute(f"UPDATE {t} SET {sets} FROM upd WHERE {t}.{key} = upd.{key}")
        replaced = ", ".join(f"coalesce(upd.{q(u)}, c.{q(u)}) AS {q(u)}" for u in updatable)
        return f"""SELECT c.* EXCLUDE (_k) REPLACE ({replaced})
                FROM cont c LEFT JOIN upd USING ({key})"""

    def _check_reversals(self) -> bool:
        """A reversal names a payment (loaded or in this batch) of the same account, and with
        the earlier reversals of that payment does not exceed it. Settled in rounds: each round
        rejects, per payment, the first reversal that breaks the rule. True if there were any."""
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE rev AS
            SELECT n.*, {self._typed_record("n")} AS _rrecord,
                   NULL::STRUCT("column" VARCHAR, reason VARCHAR, value VARCHAR) AS _rerr
            FROM new_rows n WHERE reverses_payment_id IS NOT NULL
        """)
        if execute(self.con, "SELECT count(*) FROM rev")[0][0] == 0:
            return False
        self.con.execute("""
            CREATE OR REPLACE TEMP TABLE rev_target AS
            SELECT t.payment_id, t.account_id, t.amount,
                   coalesce((SELECT sum(r.amount) FROM payments r
                             WHERE r.reverses_payment_id = t.payment_id), 0) AS reversed
            FROM (SELECT payment_id, account_id, amount FROM payments
                  UNION ALL
                  SELECT payment_id, account_id, amount FROM new_rows
                  WHERE reverses_payment_id IS NULL) t
            WHERE t.payment_id IN (SELECT reverses_payment_id FROM rev)
        """)
        while True:
            changed = execute(
                self.con,
                """
                WITH judged AS (
                    SELECT r.payment_id, CASE
                        WHEN t.payment_id IS NULL THEN {'column': 'reverses_payment_id',
                            'reason': 'unknown_payment', 'value': r.reverses_payment_id}
                        WHEN t.account_id <> r.account_id THEN {'column': 'reverses_payment_id',
                            'reason': 'reversal_mismatch', 'value': r.reverses_payment_id}
                        WHEN t.reversed + sum(r.amount) OVER (PARTITION BY r.reverses_payment_id
                             ORDER BY r.paid_at, r._seq) > t.amount
                        THEN {'column': 'amount', 'reason': 'reversal_exceeds_payment',
                              'value': CAST(r.amount AS VARCHAR)}
                        END AS e,
                        r.reverses_payment_id AS target, r.paid_at, r._seq
                    FROM rev r LEFT JOIN rev_target t ON t.payment_id = r.reverses_payment_id
                    WHERE r._rerr IS NULL
                ), first_bad AS (
                    SELECT payment_id, e FROM judged WHERE e IS NOT NULL
                    QUALIFY e.reason <> 'reversal_exceeds_payment' OR row_number() OVER (
                        PARTITION BY target, e.reason ORDER BY paid_at, _seq) = 1
                )
                UPDATE rev SET _rerr = first_bad.e FROM first_bad
                WHERE rev.payment_id = first_bad.payment_id
                RETURNING 1
            """,
            )
            if not changed:
                break
        self._reject("rev", "_rerr", "_rrecord")
        return True

    # reference tables ------------------------------------------------------------------------

    def merge_reference(self) -> None:
        """Replace rows per key: a later file wins, columns it lacks keep their values; within
        one file a repeated key must repeat the same values."""
        t = q(self.table.name)
        keys = [q(k) for k in self.table.key]
        key_list = ", ".join(keys)
        others = [c for c in self.cols if c not in self.table.key]
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE ranked AS
            SELECT *, row_number() OVER (PARTITION BY _file_id, _ord, {key_list} ORDER BY _seq) AS _k
            FROM ok
        """)
        same = " AND ".join(f"a.{k} = r.{k}" for k in keys)
        conflict = " ".join(
            f"WHEN r.{q(c)} IS DISTINCT FROM a.{q(c)} THEN {{'column': '{c}', "
            f"'reason': 'duplicate_key_conflict', 'value': CAST(r.{q(c)} AS VARCHAR)}}"
            for c in others
        )
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE repeats AS
            SELECT r.*, CASE {conflict} END AS _conflict, {self._typed_record("r")} AS _crecord
            FROM ranked r JOIN ranked a
              ON a._file_id = r._file_id AND a._ord = r._ord AND a._k = 1 AND {same}
            WHERE r._k > 1
        """)
        self._reject("repeats", "_conflict", "_crecord")
        self._count(self.duplicates, "repeats", "_conflict IS NULL")
        self._count(self.loaded, "ranked", "_k = 1")
        carried = {c: f"(_cols >> {self.cols.index(c)}) & 1 = 1" for c in others}
        merged_cols = ", ".join(
            f"bool_or({carried[c]}) AS {q('__h_' + c)}, "
            f"arg_max({{'v': {q(c)}}}, CASE WHEN {carried[c]} THEN _seq END).v AS {q(c)}"
            for c in others
        )
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE merged AS
            SELECT {key_list}, {merged_cols}, arg_max(_file_id, _seq) AS _file_id,
                   arg_max(_line, _seq) AS _line, 1 AS _ord
            FROM ranked WHERE _k = 1 GROUP BY {key_list}
        """)
        on = " AND ".join(f"o.{k} = m.{k}" for k in keys)
        final_cols = ", ".join(
            [f"m.{k}" for k in keys]
            + [
                f"CASE WHEN m.{q('__h_' + c)} THEN m.{q(c)} ELSE {self._kept(c)} END AS {q(c)}"
                for c in others
            ]
        )
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE new_rows_t AS
            SELECT {final_cols}, m._file_id, m._line, m._ord
            FROM merged m LEFT JOIN {t} o ON {on}
        """)
        self._warn("new_rows_t")
        self._log_changes("new_rows_t", {c: f"n.{q(c)}" for c in others})
        using = " AND ".join(f"{t}.{k} = n.{k}" for k in keys)
        self.con.execute(f"DELETE FROM {t} USING new_rows_t n WHERE {using}")
        self._insert("new_rows_t")

    def _kept(self, column: str) -> str:
        """The value a column keeps when no new file carries it (the default for a new key)."""
        col = self.table.column(column)
        if col.default is not None:
            return f"coalesce(o.{q(column)}, CAST('{col.default}' AS {col.duckdb_type}))"
        return f"o.{q(column)}"

    # shared ---------------------------------------------------------------------------------

    def _key_text(self, alias: str) -> str:
        """SQL: a row's key as text; a composite key as a JSON object in key order
        (``{"agent_id":"A1","work_date":"2026-03-02"}``)."""
        if len(self.table.key) == 1:
            return f"CAST({alias}.{q(self.table.key[0])} AS VARCHAR)"
        fields = ", ".join(f"{q(k)} := {alias}.{q(k)}" for k in self.table.key)
        return f"CAST(to_json(struct_pack({fields})) AS VARCHAR)"

    def _log_changes(self, relation: str, new_values: dict[str, str]) -> None:
        """Before loaded rows are overwritten: one change_log row per cell whose value changes.
        ``relation`` (alias ``n``) holds the incoming rows by key; ``new_values`` maps each
        column that may change to the SQL of its value after this load (the loaded row is
        ``o``). Values compare typed (IS DISTINCT FROM: NULL to a value is a change, NULL to
        NULL is not) and are written as text. One set-based statement per table."""
        if not new_values:
            return
        t = q(self.table.name)
        on = " AND ".join(f"o.{q(k)} = n.{q(k)}" for k in self.table.key)
        differs = {c: f"({new} IS DISTINCT FROM o.{q(c)})" for c, new in new_values.items()}
        cells = ", ".join(
            f"{{'column_name': '{c}', 'changed': {differs[c]}, "
            f"'old_value': CAST(o.{q(c)} AS VARCHAR), 'new_value': CAST({new} AS VARCHAR)}}"
            for c, new in new_values.items()
        )
        written = execute(
            self.con,
            f"""
            INSERT INTO change_log
                (load_id, table_name, key, column_name, old_value, new_value, changed_at)
            SELECT $load_id, $table, row_key, cell.column_name, cell.old_value, cell.new_value,
                   $changed_at
            FROM (
                SELECT {self._key_text("o")} AS row_key, unnest([{cells}]) AS cell
                FROM {relation} n JOIN {t} o ON {on}
                WHERE {" OR ".join(differs.values())}
            )
            WHERE cell.changed
        """,
            {"load_id": self.load_id, "table": self.table.name, "changed_at": self.rules.load_time},
        )
        self.values_updated += written[0][0]

    def _insert(self, relation: str) -> None:
        """Append the relation's rows with lineage, in time order (zone maps then skip data)."""
        order = (
            q(self.table.time_column)
            if self.table.time_column
            else ", ".join(q(k) for k in self.table.key)
        )
        cols = ", ".join(q(c) for c in self.cols)
        execute(
            self.con,
            f"""
            INSERT INTO {q(self.table.name)} ({cols}, _load_id, _file_id, _line)
            SELECT {cols}, $load_id, _file_id, _line FROM {relation} ORDER BY {order}
        """,
            {"load_id": self.load_id},
        )

    def _warn(self, relation: str) -> None:
        """Unknown optional references load, each with a load_warnings row."""
        for col in self.table.columns:
            if col.ref and col.ref_optional:
                reason = REF_REASON[col.ref]
                known = f"SELECT {q(TABLES_BY_NAME[col.ref].key[0])} FROM {q(col.ref)}"
            elif (self.table.name, col.name) in TEAM_REFS:
                reason, known = "unknown_team", "SELECT team_id FROM agents"
            else:
                continue
            execute(
                self.con,
                f"""
                INSERT INTO load_warnings
                SELECT $load_id, _file_id, $table, _line, '{col.name}', $reason, {q(col.name)}
                FROM {relation}
                WHERE {q(col.name)} IS NOT NULL AND {q(col.name)} NOT IN ({known})
            """,
                {"load_id": self.load_id, "table": self.table.name, "reason": reason},
            )

    def drop_temps(self) -> None:
        for name in ("final_rows", "new_rows", "ok"):
            self.con.execute(f"DROP VIEW IF EXISTS {name}")
        for name in (
            "chk",
            "cids",
            "cont",
            "anchor",
            "cand",
            "upd",
            "rev",
            "rev_target",
            "ranked",
            "repeats",
            "merged",
            "new_rows_t",
        ):
            self.con.execute(f"DROP TABLE IF EXISTS {name}")


# --- one load inside the open database ----------------------------------------------------
