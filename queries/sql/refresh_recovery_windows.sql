-- Recovery windows, computed when queried (the horizons and as_of come from settings and the
-- page): one row per account × horizon N whose window [assigned_at, assigned_at + N × 24 h)
-- has closed by as_of (a mature account), leaving out accounts closed as recalled or sold
-- before their window closed; `collected` is the net of payments and reversals in the window
-- and `window_week` the ISO week the window closed in.
--   FROM mature_windows($recovery_days, $as_of)
-- closing_from / closing_to (optional): only windows closing in [closing_from, closing_to), so
-- that a figure over some weeks does not join every account's payments.
CREATE OR REPLACE MACRO mature_windows(
    recovery_days, as_of, closing_from := NULL, closing_to := NULL
) AS TABLE
WITH windows AS (
    SELECT
        d.account_id, d.strategy, d.bucket, d.product, d.portfolio_team_id AS team_id,
        d.owner_agent_id AS agent_id, d.assigned_at, d.balance_at_assignment AS balance,
        t.n, d.assigned_at + to_hours(24 * t.n) AS window_end
    FROM account_dim d, unnest(recovery_days) AS t(n)  -- noqa: LT01
    WHERE d.assigned_at + to_hours(24 * t.n) <= as_of
      AND (closing_from IS NULL OR d.assigned_at + to_hours(24 * t.n) >= closing_from)
      AND (closing_to IS NULL OR d.assigned_at + to_hours(24 * t.n) < closing_to)
      AND NOT coalesce(
          d.close_reason IN ('recalled', 'sold') AND d.closed_at < d.assigned_at + to_hours(24 * t.n),
          false
      )
),
paid AS (
    -- each line once per horizon it falls within
    SELECT w.account_id, w.n, sum(l.net_amount) AS collected
    FROM windows w
    JOIN payment_lines l
      ON l.account_id = w.account_id AND l.paid_at >= w.assigned_at AND l.paid_at < w.window_end
    GROUP BY ALL
)
SELECT
    w.account_id, w.strategy, w.bucket, w.product, w.team_id, w.agent_id, w.n, w.window_end,
    CAST(date_trunc('week', CAST(w.window_end AS DATE)) AS DATE) AS window_week,
    w.balance,
    coalesce(p.collected, 0) AS collected
FROM windows w
LEFT JOIN paid p USING (account_id, n);
