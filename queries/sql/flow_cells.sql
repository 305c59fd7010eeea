-- Portfolio flow's figures (docs/metrics.md, "Portfolio flow") as sums over the book of each
-- period asked for (flow_book in refresh_macros.sql): one row per period × group × opening
-- bucket × closing state, with its accounts and their opening and closing balances. Every rate,
-- share and interval (queries/flow.py) is a ratio of these sums, so the book never leaves
-- DuckDB account by account.
--   $keys  the groups kept, any of 'strategy', 'product', 'team_id' (the portfolio team); a
--          group not asked for is NULL and sums over its values
-- The other parameters are flow_book's.
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
    count(*) AS accounts,
    sum(opening_balance) AS opening_balance,
    sum(closing_balance) AS closing_balance
FROM flow_book(
    $periods, $period_starts, $first_days, $closing_days, $as_ofs,
    $teams, $agents, $strategies, $products, $buckets
)
GROUP BY ALL
ORDER BY ALL
