-- Notes of calls and visits in the period, for the threatening-language check (matched in
-- Polars against the lexicon). Only rows with a note.
WITH noted AS (
    SELECT 'call' AS record_kind, call_id AS record_id, 'phone' AS channel, account_id, agent_id,
        started_at AS occurred_at, notes
    FROM calls
    WHERE notes IS NOT NULL AND started_at >= $start AND started_at < $end AND started_at < $as_of
    UNION ALL
    SELECT 'visit', visit_id, 'visit', account_id, agent_id, visited_at, notes
    FROM visits
    WHERE notes IS NOT NULL AND visited_at >= $start AND visited_at < $end AND visited_at < $as_of
)
SELECT
    n.record_kind,
    n.record_id,
    n.channel,
    n.occurred_at,
    timezone(d.tz, n.occurred_at) AS local_time,
    d.tz AS timezone,
    n.account_id,
    d.debtor_key AS debtor_id,
    n.agent_id,
    ag.team_id,
    n.notes,
    CAST(date_trunc('week', n.occurred_at) AS DATE) AS week_start
FROM noted n
JOIN account_dim d USING (account_id)
LEFT JOIN agents ag ON ag.agent_id = n.agent_id
WHERE in_slices($teams, $agents, $strategies, $products, $buckets,
                ag.team_id, n.agent_id, d.strategy, d.product, d.bucket)
ORDER BY n.occurred_at, n.record_id
