-- Mature accounts, collected and balance per strategy × bucket × product × team × the week
-- the window closed × horizon; queries/recovery.py sums this grain to the grouping shown.
SELECT
    strategy, bucket, product, team_id, window_week, n,
    count(*) AS mature_accounts,
    sum(collected) AS collected,
    sum(balance) AS balance
FROM mature_windows($recovery_days, $as_of)
WHERE in_slice($teams, team_id)
  AND in_slice($agents, agent_id)
  AND in_slice($strategies, strategy)
  AND in_slice($products, product)
  AND in_slice($buckets, bucket)
  AND (NOT $week_scoped OR (window_end >= $start AND window_end < $end))
GROUP BY ALL
