-- Cumulative recovery by day since assignment for one cohort: the accounts mature at
-- $curve_days (not recalled or sold before then). Day d counts net payments with
-- paid_at < assigned_at + d × 24 h; one row per strategy × day 1..$curve_days.
WITH cohort AS (
    SELECT d.account_id, d.strategy, d.assigned_at, d.balance_at_assignment AS balance
    FROM account_dim d
    WHERE d.assigned_at + to_hours(24 * $curve_days) <= $as_of
      AND NOT coalesce(
          d.close_reason IN ('recalled', 'sold')
          AND d.closed_at < d.assigned_at + to_hours(24 * $curve_days), false)
      AND in_slices($teams, $agents, $strategies, $products, $buckets,
                    d.portfolio_team_id, d.owner_agent_id, d.strategy, d.product, d.bucket)
),
daily AS (
    -- a payment in [assigned_at + (d-1) days, assigned_at + d days) first counts on day d
    -- (whole 24-hour days in microseconds: no interval per payment)
    SELECT
        c.strategy,
        CAST((epoch_us(l.paid_at) - epoch_us(c.assigned_at)) // 86400000000 AS INTEGER) + 1
            AS day,
        sum(l.net_amount) AS collected
    FROM cohort c
    JOIN payment_lines l
      ON l.account_id = c.account_id AND l.paid_at >= c.assigned_at
     AND l.paid_at < c.assigned_at + to_hours(24 * $curve_days)
    GROUP BY ALL
),
grid AS (
    SELECT s.strategy, s.accounts, s.balance, g.day
    FROM (SELECT strategy, count(*) AS accounts, sum(balance) AS balance FROM cohort GROUP BY ALL) s,
        range(1, $curve_days + 1) AS g(day)  -- noqa: LT01
)
SELECT
    g.strategy, g.day, g.accounts, g.balance,
    coalesce(d.collected, 0) AS collected_on_day
FROM grid g
LEFT JOIN daily d USING (strategy, day)
ORDER BY g.strategy, g.day
