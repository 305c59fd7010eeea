-- Mature accounts, collected and balance per strategy × bucket × product × team × the week
-- the window closed × horizon; queries/recovery.py sums this grain to the grouping shown.
-- $week_scoped: only the windows that closed in the period.
SELECT
    strategy, bucket, product, team_id, window_week, n,
    count(*) AS mature_accounts,
    sum(collected) AS collected,
    sum(balance) AS balance
FROM mature_windows(
    $recovery_days, $as_of,
    closing_from := CASE WHEN $week_scoped THEN $start END,
    closing_to := CASE WHEN $week_scoped THEN $end END
)
WHERE in_slices($teams, $agents, $strategies, $products, $buckets,
                team_id, agent_id, strategy, product, bucket)
GROUP BY ALL
