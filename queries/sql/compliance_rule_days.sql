-- Violations per rule × ISO week × acting agent and team, from the per-day conduct values
-- (refresh_conduct_days.sql) under the active preset: the numbers of records that
-- compliance_contact_rules.sql, compliance_call_rules.sql and compliance_call_checks.sql list,
-- without reading every contact of a many-week period. Zero counts are left out.
SELECT
    CASE
        WHEN measure = 'local_hour' THEN 'off_hours'
        WHEN measure = 'cap_rank' THEN 'daily_cap'
        WHEN measure = 'calls_7d' THEN 'frequency'
        WHEN measure = 'rpc_days_ago' THEN 'quiet_period'
        ELSE measure
    END AS rule,
    CAST(date_trunc('week', site_date) AS DATE) AS week_start,
    agent_id,
    agent_team_id AS team_id,
    sum_counts(contacts) AS records
FROM conduct_days_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
WHERE CASE measure
    WHEN 'local_hour' THEN
        window_channel(channel, $window_channels)
        AND off_hours(value, $window_start_hour, $window_end_hour)
    WHEN 'cap_rank' THEN value > $daily_cap
    WHEN 'calls_7d' THEN value > $weekly_cap
    WHEN 'rpc_days_ago' THEN value < $quiet_period_days
    ELSE true
END
GROUP BY ALL
