-- Portfolio flow of one period P (docs/metrics.md, "Portfolio flow"): the book at P's open, one
-- row per account, with its opening bucket and its closing state.
--   $start          00:00 site time on P's first day
--   $start_date     P's first site date
--   $closing_date   E: the earlier of P's last day and the site day before as_of's
--   $as_of          snapshots are seen from the end of their day; closings before as_of
-- Slicers: team = portfolio team, agent = owner, bucket = the assignment bucket.
WITH seen_snapshots AS (
    -- a snapshot holds the state at the end of its site day
    SELECT s.account_id, s.snapshot_date, s.dpd, s.balance, s.status
    FROM account_snapshots s
    WHERE CAST(s.snapshot_date + 1 AS TIMESTAMPTZ) <= $as_of
),

opening_snapshots AS (
    SELECT account_id, dpd, balance, status
    FROM seen_snapshots
    WHERE snapshot_date BETWEEN CAST($start_date AS DATE) - 7 AND CAST($start_date AS DATE) - 1
    QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY snapshot_date DESC) = 1
),

closing_snapshots AS (
    SELECT account_id, dpd, balance, status
    FROM seen_snapshots
    WHERE snapshot_date BETWEEN CAST($closing_date AS DATE) - 6 AND CAST($closing_date AS DATE)
    QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY snapshot_date DESC) = 1
),

book AS (
    SELECT
        d.account_id, d.strategy, d.product, d.bucket AS assignment_bucket,
        d.portfolio_team_id AS team_id, d.owner_agent_id AS agent_id, d.closed_at,
        d.close_reason,
        o.dpd AS opening_dpd,
        o.balance AS opening_balance,
        dpd_bucket(o.dpd) AS opening_bucket
    FROM account_dim d
    JOIN opening_snapshots o USING (account_id)
    WHERE d.assigned_at < $start
      AND coalesce(d.closed_at >= $start, true)
      AND o.status = 'open'
      AND in_slices($teams, $agents, $strategies, $products, $buckets,
                    d.portfolio_team_id, d.owner_agent_id, d.strategy, d.product, d.bucket)
),

closing_states AS (
    SELECT
        b.*,
        coalesce(
            b.closed_at >= $start
            AND b.closed_at < CAST(CAST($closing_date AS DATE) + 1 AS TIMESTAMPTZ)
            AND b.closed_at < $as_of,
            false
        ) AS closed_in_period,
        c.dpd AS closing_dpd,
        c.balance AS closing_balance,
        CASE
            WHEN closed_in_period AND b.close_reason IN ('paid', 'settled') THEN 'closed_paid'
            WHEN closed_in_period THEN 'closed_other'
            WHEN c.status = 'closed' AND c.balance = 0 THEN 'closed_paid'
            WHEN c.status = 'closed' THEN 'closed_other'
            WHEN c.status = 'open' THEN dpd_bucket(c.dpd)
            ELSE 'unobserved'
        END AS closing_state
    FROM book b
    LEFT JOIN closing_snapshots c USING (account_id)
)

SELECT
    account_id, strategy, product, assignment_bucket, team_id, agent_id,
    opening_bucket, bucket_rank(opening_bucket) AS opening_rank, opening_dpd, opening_balance,
    closing_state, bucket_rank(closing_state) AS closing_rank,
    -- a closing in the period is the account's state, whatever a snapshot says
    CASE WHEN NOT closed_in_period THEN closing_dpd END AS closing_dpd,
    CASE WHEN NOT closed_in_period THEN closing_balance END AS closing_balance,
    closing_state <> 'unobserved' AS observed,
    closing_state IN ('current', 'closed_paid') AS cured,
    coalesce(bucket_rank(closing_state) > bucket_rank(opening_bucket), false) AS rolled_forward
FROM closing_states
ORDER BY account_id
