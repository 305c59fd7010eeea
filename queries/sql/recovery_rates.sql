-- Mature accounts, collected and balance per strategy × bucket × product × team × the week
-- the window closed × horizon; queries/recovery.py sums this grain to the grouping shown.
SELECT
    strategy, bucket, product, team_id, window_week, n,
    count(*) AS mature_accounts,
    sum(collected) AS collected,
    sum(balance) AS balance
FROM mature_windows($recovery_days, $as_of)
WHERE in_slices($teams, $agents, $strategies, $products, $buckets,
                team_id, agent_id, strategy, product, bucket)
  AND (NOT $week_scoped OR (window_end >= $start AND window_end < $end))
GROUP BY ALL
