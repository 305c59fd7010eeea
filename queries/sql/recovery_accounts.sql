-- One row per mature account × recovery horizon (see the mature_windows macro), for the
-- strategy comparison's bootstrap and drill-downs.
SELECT *
FROM mature_windows($recovery_days, $as_of)
WHERE in_slice($teams, team_id)
  AND in_slice($agents, agent_id)
  AND in_slice($strategies, strategy)
  AND in_slice($products, product)
  AND in_slice($buckets, bucket)
  AND (NOT $week_scoped OR (window_end >= $start AND window_end < $end))
