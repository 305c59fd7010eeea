-- Unverified-disclosure and unrecorded-call records, only over calls whose file carried the
-- column (the rest is counted apart by compliance_call_coverage).
WITH scoped AS NOT MATERIALIZED (
    SELECT *, CAST(date_trunc('week', site_date) AS DATE) AS week_start
    FROM calls_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
    -- only candidates of some rule leave the scan
    WHERE (is_rpc AND identity_verified_known AND identity_verified = false)
       OR (is_connected AND recording_known AND recording_id IS NULL)
)
SELECT
    'unverified_disclosure' AS rule,
    'call' AS record_kind,
    contact_id AS record_id,
    'phone' AS channel,
    contact_at AS occurred_at,
    local_ts AS local_time,
    tz AS timezone,
    CAST(NULL AS TIMESTAMP) AS window_start,
    CAST(NULL AS TIMESTAMP) AS window_end,
    account_id,
    debtor_key AS debtor_id,
    agent_id,
    agent_team_id AS team_id,
    CAST(NULL AS BIGINT) AS count_in_window,
    outcome AS detail,
    week_start
FROM scoped
WHERE is_rpc AND identity_verified_known AND identity_verified = false
UNION ALL
SELECT
    'unrecorded', 'call', contact_id, 'phone', contact_at, local_ts, tz, NULL, NULL,
    account_id, debtor_key, agent_id, agent_team_id, NULL, outcome, week_start
FROM scoped
WHERE is_connected AND recording_known AND recording_id IS NULL
ORDER BY occurred_at, record_id
