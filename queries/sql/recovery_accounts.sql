-- One row per account × recovery horizon N (in $recovery_days) whose window
-- [assigned_at, assigned_at + N × 24 h) has closed by as_of (a mature account), leaving out
-- accounts closed as recalled or sold before the window closed. `collected` is the net of
-- payments and reversals inside the window. `window_week` is the ISO week the window closed in.
WITH windows AS (
    SELECT d.*, t.n, d.assigned_at + to_hours(24 * t.n) AS window_end
    FROM account_dim d, unnest($recovery_days) AS t(n)
    WHERE in_slice($teams, d.portfolio_team_id)
      AND in_slice($agents, d.owner_agent_id)
      AND in_slice($strategies, d.strategy)
      AND in_slice($products, d.product)
      AND in_slice($buckets, d.bucket)
),
mature AS (
    SELECT *
    FROM windows
    WHERE window_end <= $as_of
      AND NOT coalesce(close_reason IN ('recalled', 'sold') AND closed_at < window_end, false)
)
SELECT
    m.account_id, m.strategy, m.bucket, m.product, m.portfolio_team_id AS team_id,
    m.n, m.window_end,
    CAST(date_trunc('week', m.window_end) AS DATE) AS window_week,
    m.balance_at_assignment AS balance,
    coalesce(sum(l.net_amount), 0) AS collected
FROM mature m
LEFT JOIN payment_lines l
  ON l.account_id = m.account_id AND l.paid_at >= m.assigned_at AND l.paid_at < m.window_end
GROUP BY ALL
