-- The accounts of one strategy in one bucket: balance, collected to as_of (net), and the last
-- touch before as_of (tie order as in attribution).
WITH acc AS (
    SELECT d.*
    FROM account_dim d
    WHERE d.strategy = $strategy AND d.bucket = $bucket AND d.assigned_at < $as_of
      AND in_slice($teams, d.portfolio_team_id)
      AND in_slice($agents, d.owner_agent_id)
      AND in_slice($products, d.product)
),
paid AS (
    SELECT l.account_id, sum(l.net_amount) AS collected
    FROM payment_lines l
    WHERE l.account_id IN (SELECT account_id FROM acc) AND l.paid_at < $as_of
    GROUP BY ALL
),
touched AS (
    SELECT
        t.account_id,
        max(t.touch_at) AS last_touch_at,
        arg_max(t.channel, t.touch_at) AS last_touch_channel
    FROM touches t
    WHERE t.account_id IN (SELECT account_id FROM acc) AND t.touch_at < $as_of
    GROUP BY ALL
)
SELECT
    a.account_id, a.product, a.portfolio_team_id AS team_id, a.owner_agent_id AS agent_id,
    a.assigned_at, a.balance_at_assignment AS balance,
    coalesce(p.collected, 0) AS collected,
    t.last_touch_at, t.last_touch_channel,
    a.close_reason
FROM acc a
LEFT JOIN paid p USING (account_id)
LEFT JOIN touched t USING (account_id)
ORDER BY a.account_id
