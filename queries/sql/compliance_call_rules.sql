-- Daily-cap, 7-day-frequency and quiet-period records from call_facts (the rolling windows
-- are materialised there and read back before the period). A cap that is NULL (the preset has
-- no such rule) matches nothing. Windows are shown in the account's local time.
WITH scoped AS NOT MATERIALIZED (
    SELECT *, CAST(date_trunc('week', site_date) AS DATE) AS week_start
    FROM calls_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
    WHERE is_attempt
      -- only candidates of some rule leave the scan (each a call_facts column)
      AND (cap_rank > $daily_cap OR calls_7d > $weekly_cap
           OR rpc_days_ago < $quiet_period_days)
)
SELECT
    'daily_cap' AS rule,
    'call' AS record_kind,
    contact_id AS record_id,
    'phone' AS channel,
    contact_at AS occurred_at,
    local_ts AS local_time,
    tz AS timezone,
    CAST(local_day AS TIMESTAMP) AS window_start,
    CAST(local_day + 1 AS TIMESTAMP) AS window_end,
    account_id,
    debtor_key AS debtor_id,
    agent_id,
    agent_team_id AS team_id,
    cap_rank AS count_in_window,
    CAST(NULL AS VARCHAR) AS detail,
    week_start
FROM scoped
WHERE cap_rank > $daily_cap
UNION ALL
SELECT
    'frequency', 'call', contact_id, 'phone', contact_at, local_ts, tz,
    CAST(local_day - 6 AS TIMESTAMP), local_ts,  -- noqa: AL08
    account_id, debtor_key, agent_id, agent_team_id, calls_7d, NULL, week_start
FROM scoped
WHERE calls_7d > $weekly_cap
UNION ALL
-- the conversation's local day is day 1 of quiet_period_days
SELECT
    'quiet_period', 'call', contact_id, 'phone', contact_at, local_ts, tz,
    last_rpc_local_ts, CAST(last_rpc_day + $quiet_period_days AS TIMESTAMP),
    account_id, debtor_key, agent_id, agent_team_id, NULL, last_rpc_call_id, week_start
FROM scoped
WHERE rpc_days_ago < $quiet_period_days
ORDER BY occurred_at, record_id
