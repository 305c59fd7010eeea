-- The promises due in the period (due day = promise_date + grace_days) and due at as_of, each
-- with its outcome: the records behind the funnel's promises due / kept / broken counts.
-- Kept first is not useful to a reader: broken ones come first, largest amount first.
SELECT
    account_id,
    agent_id,
    team_id,
    source_kind,
    source_id,
    made_at,
    promise_date,
    amount,
    paid_in_window,
    kept,
    followed_up
FROM promise_outcomes_between($grace_days, $follow_up_days, $start_date, $end_date)
WHERE due_at <= $as_of
  AND in_slices($teams, $agents, $strategies, $products, $buckets,
                team_id, agent_id, strategy, product, bucket)
ORDER BY kept, amount DESC, account_id, source_id
