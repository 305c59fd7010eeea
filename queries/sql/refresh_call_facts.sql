-- What only calls have, one row per call in call time order (started_at, so that zone maps skip
-- out-of-period calls); the contact columns (local time, flags, slicers) stay in contact_rows
-- and the `calls_in` macro joins the two. The rolling windows run once per load instead of once
-- per page view, from contact_rows' account-local day (no second time-zone conversion).
--   cap_rank: position among the debtor's connected outbound calls of that local day, in
--     (started_at, call_id) order (NULL for other calls); a rank above the daily cap violates.
--   calls_7d: outbound calls on the account from 00:00 local of the 6th day before this call's
--     local day up to and including this call, in (started_at, call_id) order (NULL for inbound).
--   last_rpc_call_id / last_rpc_local_ts / last_rpc_day: the latest earlier RPC call (either
--     direction) on the account: the quiet period runs from it; rpc_days_ago: this call's local
--     day minus last_rpc_day (one column for the quiet-period candidate filter).
--   agent_id, agent_team_id, strategy, product, bucket, site_date, is_outbound (is_attempt),
--     is_connected, is_rpc: as in contact_rows, so that the per-day aggregates and their
--     slicers read call_facts alone (call_facts_in).
--   duration_s, abusive, sentiment, identity_verified, recording_id: as loaded.
--   *_known: the row's file carried the optional column (loaded_files.columns), or the row holds
--     a value for it (a later export may fill in a column the first file lacked).
--   account_id: the call's account (which rows a refresh rebuilds, macros/rebuild.sql).
-- A call's windows read only earlier calls of its account and debtor: the cap and the 7 days
-- reach back at most 7 local days (8 site days, whatever the account's zone), the quiet period
-- to the account's last RPC call. So a refresh rebuilds the calls it rebuilds from their
-- debtors' calls of the 8 days before the first rebuilt day (whole histories for the accounts
-- rebuilt whole) and, for each account, its last RPC call before those, looked up in
-- rpc_history (a sixth of the calls, without messages and visits: at 40M calls, a day's
-- call_facts took 2.7-3.9 s scanning every contact for it, 1.7-1.9 s with rpc_history).

-- rpc_history: every RPC call (either direction), one row per call in call time order, with
-- what a quiet period needs of it.
CREATE OR REPLACE MACRO rpc_history_rebuilt() AS TABLE
SELECT
    contact_id AS call_id, contact_at AS started_at, account_id, local_ts, local_day
FROM contact_rows
WHERE kind = 'call' AND is_rpc AND rebuilt_at(contact_at, account_id)
ORDER BY started_at, call_id;

CREATE OR REPLACE TABLE rpc_history AS FROM rpc_history_rebuilt();

-- read_for_rebuild(instant, account): a call the windows of the rebuilt calls may read.
CREATE OR REPLACE MACRO read_for_rebuild(instant, account) AS
    instant >= getvariable('refresh_since') - INTERVAL 8 DAY
    OR (getvariable('refresh_wide') AND account IN (SELECT account_id FROM refresh_accounts));

CREATE OR REPLACE MACRO call_facts_rebuilt() AS TABLE
WITH rebuilt_debtors AS (
    SELECT DISTINCT debtor_key
    FROM contact_rows
    WHERE kind = 'call' AND rebuilt_at(contact_at, account_id)
),
read_calls AS (
    -- the windows sort only the columns they read; the rest joins back afterwards (carrying
    -- every column through three sorts cost ~40% more at 10M calls)
    SELECT
        c.contact_id AS call_id, c.contact_at AS started_at, c.account_id, c.debtor_key,
        c.local_ts, c.local_day, c.local_day - DATE '1970-01-01' AS epoch_day,
        c.is_attempt AS is_outbound, c.is_connected, c.is_rpc
    FROM contact_rows c
    WHERE c.kind = 'call' AND c.debtor_key IN (SELECT debtor_key FROM rebuilt_debtors)
      AND read_for_rebuild(c.contact_at, c.account_id)
),
last_rpc_before AS (
    -- each account's last RPC call before the calls read, counted only as an earlier RPC
    SELECT
        max_by(r.call_id, (r.started_at, r.call_id)) AS call_id,
        max(r.started_at) AS started_at,
        r.account_id,
        NULL AS debtor_key,
        max_by(r.local_ts, (r.started_at, r.call_id)) AS local_ts,
        max_by(r.local_day, (r.started_at, r.call_id)) AS local_day,
        max_by(r.local_day, (r.started_at, r.call_id)) - DATE '1970-01-01' AS epoch_day,
        false AS is_outbound,
        false AS is_connected,
        true AS is_rpc
    FROM rpc_history r
    WHERE NOT read_for_rebuild(r.started_at, r.account_id)
      AND r.account_id IN (SELECT account_id FROM read_calls)
    GROUP BY r.account_id
),
keys AS (
    FROM read_calls
    UNION ALL BY NAME
    FROM last_rpc_before
),
windowed AS (
    -- An account has one zone, so its (started_at, call_id) order is also its local-day order:
    -- calls_7d = outbound calls up to this one, less those of local days before the 6th day back.
    SELECT
        call_id,
        CASE WHEN is_outbound AND is_connected THEN
            count(*) FILTER (is_outbound AND is_connected) OVER (
                PARTITION BY debtor_key, local_day ORDER BY started_at, call_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
            )
        END AS cap_rank,
        CASE WHEN is_outbound THEN
            count(*) FILTER (is_outbound) OVER (
                PARTITION BY account_id ORDER BY started_at, call_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
            )
            - count(*) FILTER (is_outbound) OVER (
                PARTITION BY account_id ORDER BY epoch_day
                RANGE BETWEEN UNBOUNDED PRECEDING AND 7 PRECEDING
            )
        END AS calls_7d,
        last_value(CASE WHEN is_rpc THEN call_id END IGNORE NULLS) OVER earlier
            AS last_rpc_call_id,
        last_value(CASE WHEN is_rpc THEN local_ts END IGNORE NULLS) OVER earlier
            AS last_rpc_local_ts,
        local_day - CAST(last_rpc_local_ts AS DATE) AS rpc_days_ago
    FROM keys
    WINDOW earlier AS (
        PARTITION BY account_id ORDER BY started_at, call_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    )
)
SELECT
    c.contact_id AS call_id, c.contact_at AS started_at, c.agent_id, c.agent_team_id,
    c.strategy, c.product, c.bucket, c.site_date,
    c.is_attempt AS is_outbound, c.is_connected, c.is_rpc,
    k.duration_s, k.abusive, k.sentiment, k.identity_verified, k.recording_id,
    coalesce(list_contains(f.columns, 'abusive'), false) OR k.abusive IS NOT NULL
        AS abusive_known,
    coalesce(list_contains(f.columns, 'sentiment'), false) OR k.sentiment IS NOT NULL
        AS sentiment_known,
    coalesce(list_contains(f.columns, 'identity_verified'), false)
        OR k.identity_verified IS NOT NULL AS identity_verified_known,
    coalesce(list_contains(f.columns, 'recording_id'), false) OR k.recording_id IS NOT NULL
        AS recording_known,
    w.cap_rank, w.calls_7d, w.last_rpc_call_id, w.last_rpc_local_ts,
    CAST(w.last_rpc_local_ts AS DATE) AS last_rpc_day, w.rpc_days_ago, c.account_id
FROM contact_rows c
JOIN calls k ON k.call_id = c.contact_id
JOIN windowed w ON w.call_id = c.contact_id
LEFT JOIN loaded_files f ON f.file_id = k._file_id
-- the same rows on both sides, each bounded by its own time (the calls' scan then skips the
-- rest of the year)
WHERE c.kind = 'call' AND rebuilt_at(c.contact_at, c.account_id)
  AND rebuilt_at(k.started_at, k.account_id)
ORDER BY started_at, call_id;

CREATE OR REPLACE TABLE call_facts AS FROM call_facts_rebuilt();

-- call_facts_in(the arguments of contacts_in): the calls of contacts_in from call_facts alone
-- (no contact columns, no join), for figures that need only call_facts' own columns.
CREATE OR REPLACE MACRO call_facts_in(
    start_at, end_at, as_of, teams, agents, strategies, products, buckets
) AS TABLE
SELECT *
FROM call_facts
WHERE started_at >= start_at AND started_at < end_at AND started_at < as_of
  AND in_slices(teams, agents, strategies, products, buckets,
                agent_team_id, agent_id, strategy, product, bucket);

-- Databases refreshed by earlier versions also hold visits and messages in a second table and a
-- view unioning it with call_facts; contacts replaces both.
DROP VIEW IF EXISTS contact_facts;
DROP TABLE IF EXISTS noncall_facts;
