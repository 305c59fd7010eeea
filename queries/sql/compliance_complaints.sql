-- Complaints received in the period, attributed: the named agent's team, else the account's
-- team (accounts.team_id, else its owner's team), else '(unattributed)'. Account slicers keep
-- only complaints on a matching account; an agent selection keeps only complaints naming one of
-- those agents.
SELECT
    p.complaint_id,
    p.received_at,
    CAST(date_trunc('week', p.received_at) AS DATE) AS week_start,
    p.account_id,
    p.agent_id,
    t.team_id,
    p.source,
    p.category,
    p.severity,
    p.status,
    p.resolved_at,
    epoch(p.resolved_at - p.received_at) / 86400.0 AS days_to_resolve
FROM complaints p
LEFT JOIN agents ag ON ag.agent_id = p.agent_id
LEFT JOIN account_dim d ON d.account_id = p.account_id
CROSS JOIN LATERAL (
    SELECT coalesce(ag.team_id, nullif(d.portfolio_team_id, '(unassigned)'), '(unattributed)')
        AS team_id
) t
WHERE p.received_at >= $start AND p.received_at < $end AND p.received_at < $as_of
  AND in_slices($teams, $agents, $strategies, $products, $buckets,
                t.team_id, p.agent_id, d.strategy, d.product, d.bucket)
ORDER BY p.received_at, p.complaint_id
