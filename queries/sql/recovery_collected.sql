-- Collected (payments net of reversals, each line at its own paid_at) per ISO week × portfolio
-- team × owner agent, for paid_at in the period and before as_of.
SELECT
    CAST(date_trunc('week', l.paid_at) AS DATE) AS week,
    d.portfolio_team_id AS team_id,
    d.owner_agent_id AS agent_id,
    sum(l.net_amount) AS collected
FROM payment_lines l
JOIN account_dim d USING (account_id)
WHERE l.paid_at >= $start AND l.paid_at < $end AND l.paid_at < $as_of
  AND (len($teams) = 0 OR list_contains($teams, d.portfolio_team_id))
  AND (len($agents) = 0 OR list_contains($agents, d.owner_agent_id))
  AND (len($strategies) = 0 OR list_contains($strategies, d.strategy))
  AND (len($products) = 0 OR list_contains($products, d.product))
  AND (len($buckets) = 0 OR list_contains($buckets, d.bucket))
GROUP BY ALL
