-- The book of each period asked for, account by account (flow_book in refresh_macros.sql;
-- docs/metrics.md, "Portfolio flow"): the drill-down's rows. Every figure sums flow_cells.sql.
--   $opening_buckets, $closing_states  the cells listed (empty: every one), so that a cell's
--                                      accounts leave DuckDB without the rest of the book
SELECT *
FROM flow_book(
    $periods, $period_starts, $first_days, $closing_days, $as_ofs,
    $teams, $agents, $strategies, $products, $buckets
)
WHERE (len($opening_buckets) = 0 OR list_contains($opening_buckets, opening_bucket))
  AND (len($closing_states) = 0 OR list_contains($closing_states, closing_state))
