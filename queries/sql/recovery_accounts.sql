-- One row per mature account × recovery horizon (see the mature_windows macro), for the
-- strategy comparison's bootstrap and drill-downs.
SELECT *
FROM mature_windows($recovery_days, $as_of, kept := $kept_windows)
WHERE in_slices($teams, $agents, $strategies, $products, $buckets,
                team_id, agent_id, strategy, product, bucket)
  AND (NOT $week_scoped OR (window_end >= $start AND window_end < $end))
