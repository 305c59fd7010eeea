-- Mature accounts, collected and balance per strategy × bucket × product × team × the week
-- the window closed × horizon; queries/recovery.py sums this grain to the grouping shown.
-- $week_scoped: only the windows that closed in the period.
-- $keys: the groups kept, any of 'strategy', 'bucket', 'product', 'team_id', 'window_week'; a
-- group not asked for is NULL and sums over its values (a year's windows to date per team and
-- week are millions of rows at 40M calls).
SELECT
    CASE WHEN list_contains($keys, 'strategy') THEN strategy END AS strategy,
    CASE WHEN list_contains($keys, 'bucket') THEN bucket END AS bucket,
    CASE WHEN list_contains($keys, 'product') THEN product END AS product,
    CASE WHEN list_contains($keys, 'team_id') THEN team_id END AS team_id,
    CASE WHEN list_contains($keys, 'window_week') THEN window_week END AS window_week,
    n,
    count(*) AS mature_accounts,
    sum(collected) AS collected,
    sum(balance) AS balance
FROM mature_windows(
    $recovery_days, $as_of,
    closing_from := CASE WHEN $week_scoped THEN $start END,
    closing_to := CASE WHEN $week_scoped THEN $end END,
    kept := $kept_windows
)
WHERE in_slices($teams, $agents, $strategies, $products, $buckets,
                team_id, agent_id, strategy, product, bucket)
GROUP BY ALL
