-- The book of each period asked for, account by account (flow_book in refresh_macros.sql;
-- docs/metrics.md, "Portfolio flow"): the drill-down's rows. Every figure sums flow_cells.sql.
SELECT *
FROM flow_book(
    $periods, $period_starts, $first_days, $closing_days, $as_ofs,
    $teams, $agents, $strategies, $products, $buckets
)
