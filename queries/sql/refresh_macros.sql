-- Table macros shared by metric files (they read derived tables, so they are made after
-- them); the scalar rules they call are in macros/.
-- contacts_in(start_at, end_at, as_of, slicers): the contacts of [start_at, end_at) before as_of
-- that pass the slicers (team: the acting agent's), as a table:
--   FROM contacts_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
-- Pass empty lists ([]) where a figure ignores the slicers. The time bounds are constants once
-- bound, so zone maps on the time-ordered contact_rows skip the rest of the year.
CREATE OR REPLACE MACRO contacts_in(
    start_at, end_at, as_of, teams, agents, strategies, products, buckets
) AS TABLE
SELECT *
FROM contacts
WHERE contact_at >= start_at AND contact_at < end_at AND contact_at < as_of
  AND in_slices(teams, agents, strategies, products, buckets,
                agent_team_id, agent_id, strategy, product, bucket);

-- calls_in(same arguments): contacts_in's calls with their call_facts columns (rule windows,
-- duration, hostility, optional-column flags); contact_id is the call_id, contact_at its
-- started_at. Both sides are bounded by time, so each scan skips out-of-period blocks.
CREATE OR REPLACE MACRO calls_in(
    start_at, end_at, as_of, teams, agents, strategies, products, buckets
) AS TABLE
SELECT c.*, f.* EXCLUDE (
    call_id, started_at, agent_id, agent_team_id, strategy, product, bucket, site_date,
    is_outbound, is_connected, is_rpc
)
FROM contacts_in(start_at, end_at, as_of, teams, agents, strategies, products, buckets) c
JOIN call_facts f ON f.call_id = c.contact_id
WHERE c.kind = 'call'
  AND f.started_at >= start_at AND f.started_at < end_at AND f.started_at < as_of;

-- flow_book(periods, period_starts, first_days, closing_days, as_ofs, slicers): Portfolio flow
-- (docs/metrics.md, "Portfolio flow"): for each period P asked for, the book at P's open, one
-- row per period × account, with its opening bucket and its closing state. One scan serves a
-- single period and a run of periods (a trend) alike; flow_accounts.sql lists the rows,
-- flow_cells.sql sums them.
--   periods        P's label ('2026-10', '2026-W44')
--   period_starts  00:00 site time on P's first day
--   first_days     P's first site date
--   closing_days   E: the earlier of P's last day and the site day before P's as_of's
--   as_ofs         P's as_of: a snapshot is seen from the end of its day, a closing before it
-- (the five lists are read in step). Slicers: team = portfolio team, agent = owner, bucket =
-- the assignment bucket.
CREATE OR REPLACE MACRO flow_book(
    periods, period_starts, first_days, closing_days, as_ofs,
    teams, agents, strategies, products, buckets
) AS TABLE
WITH asked_periods AS (
    -- typed, so that no period at all (every one asked for is kept) is an empty book
    SELECT
        CAST(unnest(periods) AS VARCHAR) AS period,
        CAST(unnest(period_starts) AS TIMESTAMPTZ) AS p_start,
        CAST(unnest(first_days) AS DATE) AS p_first,
        CAST(unnest(closing_days) AS DATE) AS closing_day,
        CAST(unnest(as_ofs) AS TIMESTAMPTZ) AS as_of
),

window_days AS (
    -- the site days each period reads, and the last of them that as_of sees: 'open' = the 7
    -- days before P, 'close' = the 7 days ending with E (an equi-join on the days is far
    -- cheaper than a range join)
    SELECT
        p.period, w.side, w.first_day + CAST(d.k AS INTEGER) AS day,
        least(w.first_day + 6, CAST(p.as_of AS DATE) - 1) AS last_seen
    FROM asked_periods p,
        (VALUES ('open'), ('close')) s(side),  -- noqa: LT01
        LATERAL (
            SELECT s.side, CASE s.side WHEN 'open' THEN p.p_first - 7 ELSE p.closing_day - 6 END
                AS first_day
        ) w,
        range(0, 7) d(k)  -- noqa: LT01
),

window_snapshots AS (
    -- per period, side and account: the latest snapshot of those days that as_of sees (a
    -- snapshot holds the state at the end of its day, so it is seen from the next midnight)
    SELECT w.period, w.side, s.account_id, s.dpd, s.balance, s.status
    FROM window_days w
    JOIN snapshot_chain s ON s.snapshot_date = w.day
    WHERE s.snapshot_date <= w.last_seen
      AND (s.next_date IS NULL OR s.next_date > w.last_seen)
),

opening_snapshots AS (
    SELECT period, account_id, dpd, balance, status
    FROM window_snapshots
    WHERE side = 'open'
),

closing_snapshots AS (
    SELECT period, account_id, dpd, balance, status
    FROM window_snapshots
    WHERE side = 'close'
),

book AS (
    SELECT
        p.period, p.p_start, p.closing_day, p.as_of,
        d.account_id, d.strategy, d.product, d.bucket AS assignment_bucket,
        d.portfolio_team_id AS team_id, d.owner_agent_id AS agent_id, d.closed_at,
        d.close_reason,
        o.dpd AS opening_dpd,
        o.balance AS opening_balance,
        dpd_bucket(o.dpd) AS opening_bucket
    FROM opening_snapshots o
    JOIN asked_periods p USING (period)
    JOIN account_dim d USING (account_id)
    WHERE d.assigned_at < p.p_start
      AND coalesce(d.closed_at >= p.p_start, true)
      AND o.status = 'open'
      AND p.closing_day >= p.p_first
      AND in_slices(teams, agents, strategies, products, buckets,
                    d.portfolio_team_id, d.owner_agent_id, d.strategy, d.product, d.bucket)
),

closing_states AS (
    SELECT
        b.*,
        coalesce(
            b.closed_at >= b.p_start
            AND b.closed_at < CAST(b.closing_day + 1 AS TIMESTAMPTZ)
            AND b.closed_at < b.as_of,
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
    LEFT JOIN closing_snapshots c USING (period, account_id)
)

SELECT
    period, account_id, strategy, product, assignment_bucket, team_id, agent_id,
    opening_bucket, bucket_rank(opening_bucket) AS opening_rank, opening_dpd, opening_balance,
    closing_state, bucket_rank(closing_state) AS closing_rank,
    -- a closing in the period is the account's state, whatever a snapshot says
    CASE WHEN NOT closed_in_period THEN closing_dpd END AS closing_dpd,
    CASE WHEN NOT closed_in_period THEN closing_balance END AS closing_balance,
    closing_state <> 'unobserved' AS observed,
    closing_state IN ('current', 'closed_paid') AS cured,
    coalesce(bucket_rank(closing_state) > bucket_rank(opening_bucket), false) AS rolled_forward
FROM closing_states;

-- flow_fine_cells(flow_book's arguments): the book summed by every slicer column (strategy,
-- product, assignment bucket, portfolio team, owner), opening bucket and closing state. The
-- refresh keeps these sums for every month and week with their default as_of
-- (flow_period_cells, refresh_flow_cells.sql); flow_cells.sql sums them further.
CREATE OR REPLACE MACRO flow_fine_cells(
    periods, period_starts, first_days, closing_days, as_ofs,
    teams, agents, strategies, products, buckets
) AS TABLE
SELECT
    period, strategy, product, assignment_bucket, team_id, agent_id,
    opening_bucket, opening_rank, closing_state, observed, cured, rolled_forward,
    count(*) AS accounts,
    sum(opening_balance) AS opening_balance,
    sum(closing_balance) AS closing_balance
FROM flow_book(
    periods, period_starts, first_days, closing_days, as_ofs,
    teams, agents, strategies, products, buckets
)
GROUP BY ALL;
