-- Portfolio flow's figures (docs/metrics.md, "Portfolio flow") as sums over the book of each
-- period asked for (flow_book in refresh_macros.sql): one row per period × group × opening
-- bucket × closing state, with its accounts and their opening and closing balances. Every rate,
-- share and interval (queries/flow.py) is a ratio of these sums, so the book never leaves
-- DuckDB account by account.
--   $keys  the groups kept, any of 'strategy', 'product', 'team_id' (the portfolio team); a
--          group not asked for is NULL and sums over its values
--   $kept_periods  the periods asked for that the refresh keeps at the as_of asked for
--                  (flow_kept_periods): their sums are read from flow_period_cells, the
--                  slicers applied to them
-- The other periods are summed from the snapshots: flow_book's parameters list only them.
WITH fine_cells AS (
    SELECT *
    FROM flow_period_cells
    WHERE list_contains($kept_periods, period)
      AND in_slices($teams, $agents, $strategies, $products, $buckets,
                    team_id, agent_id, strategy, product, assignment_bucket)
    UNION ALL BY NAME
    SELECT *
    FROM flow_fine_cells(
        $periods, $period_starts, $first_days, $closing_days, $as_ofs,
        $teams, $agents, $strategies, $products, $buckets
    )
)

SELECT
    period,
    CASE WHEN list_contains($keys, 'strategy') THEN strategy END AS strategy,
    CASE WHEN list_contains($keys, 'product') THEN product END AS product,
    CASE WHEN list_contains($keys, 'team_id') THEN team_id END AS team_id,
    opening_bucket,
    opening_rank,
    closing_state,
    observed,
    cured,
    rolled_forward,
    CAST(sum(accounts) AS BIGINT) AS accounts,
    sum(opening_balance) AS opening_balance,
    sum(closing_balance) AS closing_balance
FROM fine_cells
GROUP BY ALL
ORDER BY ALL
