-- Recovery windows: one row per account × horizon N whose window [assigned_at, assigned_at +
-- N × 24 h) has closed by as_of (a mature account), leaving out accounts closed as recalled or
-- sold before their window closed; `collected` is the net of payments and reversals in the
-- window and `window_week` the ISO week the window closed in.
--   FROM mature_windows($recovery_days, $as_of, kept := $kept_windows)
-- closing_from / closing_to (optional): only windows closing in [closing_from, closing_to), so
-- that a figure over some weeks does not join every account's payments.
-- A window's collected does not depend on as_of (only whether it has closed by then), so the
-- refresh keeps every account's windows of the settings' horizons (account_windows, the horizons
-- recorded in models_version); `kept` (the horizons asked for are among them) reads those, and
-- other horizons are computed when asked.

-- recovery_windows_of(recovery_days, as_of, closing_from, closing_to, only_rebuilt): the
-- windows computed from account_dim and payment_lines; `only_rebuilt`: only those of the
-- accounts a refresh rebuilds (paid on the rebuilt days, assigned on them, or rebuilt whole).
CREATE OR REPLACE MACRO recovery_windows_of(
    recovery_days, as_of, closing_from := NULL, closing_to := NULL, only_rebuilt := false
) AS TABLE
WITH windows AS (
    SELECT
        d.account_id, d.strategy, d.bucket, d.product, d.portfolio_team_id AS team_id,
        d.owner_agent_id AS agent_id, d.assigned_at, d.balance_at_assignment AS balance,
        t.n, d.assigned_at + to_hours(24 * t.n) AS window_end
    FROM account_dim d, unnest(recovery_days) AS t(n)  -- noqa: LT01
    WHERE d.assigned_at + to_hours(24 * t.n) <= as_of
      AND (
          NOT only_rebuilt
          OR rebuilt_payer(d.account_id) OR rebuilt_at(d.assigned_at, d.account_id)
      )
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
    w.account_id, w.strategy, w.bucket, w.product, w.team_id, w.agent_id, w.assigned_at, w.n,
    w.window_end,
    CAST(date_trunc('week', CAST(w.window_end AS DATE)) AS DATE) AS window_week,
    w.balance,
    coalesce(p.collected, 0) AS collected
FROM windows w
LEFT JOIN paid p USING (account_id, n);

CREATE OR REPLACE MACRO account_windows_rebuilt() AS TABLE
SELECT *
FROM recovery_windows_of(
    getvariable('recovery_days'), CAST('infinity' AS TIMESTAMPTZ), only_rebuilt := true
)
ORDER BY account_id, n;

CREATE OR REPLACE TABLE account_windows AS FROM account_windows_rebuilt();

CREATE OR REPLACE MACRO mature_windows(
    recovery_days, as_of, closing_from := NULL, closing_to := NULL, kept := false
) AS TABLE
SELECT *
FROM account_windows
WHERE kept AND list_contains(recovery_days, n) AND window_end <= as_of
  AND (closing_from IS NULL OR window_end >= closing_from)
  AND (closing_to IS NULL OR window_end < closing_to)
UNION ALL
SELECT *
FROM recovery_windows_of(recovery_days, as_of, closing_from, closing_to)
WHERE NOT kept;
