-- Collected (payments net of reversals, each line at its own paid_at) per ISO week × portfolio
-- team × owner agent, for paid_at in the period and before as_of.
SELECT
    CAST(date_trunc('week', l.paid_date) AS DATE) AS week,
    l.portfolio_team_id AS team_id,
    l.owner_agent_id AS agent_id,
    sum(l.net_amount) AS collected
FROM payment_lines l
WHERE l.paid_at >= $start AND l.paid_at < $end AND l.paid_at < $as_of
  AND in_slices($teams, $agents, $strategies, $products, $buckets,
                l.portfolio_team_id, l.owner_agent_id, l.strategy, l.product, l.bucket)
GROUP BY ALL
