-- Off-hours and third-party records, in the common record shape.
-- off_hours: an outbound call, a visit, or a message on a window channel (automated included)
--   whose time in the account's zone is outside [start hour, end hour) of its local day.
-- third_party: an outbound call or a visit with outcome third_party.
WITH scoped AS NOT MATERIALIZED (
    SELECT *, CAST(date_trunc('week', site_date) AS DATE) AS week_start
    FROM contacts_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
    WHERE (is_attempt OR automated)
      -- only candidates of some rule leave the scan
      AND (off_hours(local_hour, $window_start_hour, $window_end_hour)
           OR third_party_contact(kind, outcome))
)
SELECT
    'off_hours' AS rule,
    kind AS record_kind,
    contact_id AS record_id,
    channel,
    contact_at AS occurred_at,
    local_ts AS local_time,
    tz AS timezone,
    local_day + make_time($window_start_hour, 0, 0) AS window_start,
    local_day + make_time($window_end_hour, 0, 0) AS window_end,
    account_id,
    debtor_key AS debtor_id,
    agent_id,
    agent_team_id AS team_id,
    CAST(NULL AS BIGINT) AS count_in_window,
    CAST(NULL AS VARCHAR) AS detail,
    week_start
FROM scoped
WHERE window_channel(channel, $window_channels)
  AND off_hours(local_hour, $window_start_hour, $window_end_hour)
UNION ALL
SELECT
    'third_party', kind, contact_id, channel, contact_at, local_ts, tz,
    NULL, NULL, account_id, debtor_key, agent_id, agent_team_id, NULL, NULL, week_start
FROM scoped
WHERE third_party_contact(kind, outcome)
ORDER BY occurred_at, record_id
