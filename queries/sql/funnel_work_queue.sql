-- The broken-promise work queue: promises due in the period (due day = promise_date +
-- grace_days), due and not kept at as_of, with no attempt on the account by any agent from the
-- opening of their follow-up window up to as_of. Oldest first.
WITH judged AS (
    SELECT *
    FROM promise_outcomes_between($grace_days, $follow_up_days, $start_date, $end_date)
    WHERE due_at <= $as_of AND NOT kept
      AND in_slices($teams, $agents, $strategies, $products, $buckets,
                    team_id, agent_id, strategy, product, bucket)
)
SELECT
    j.account_id,
    j.agent_id,
    j.team_id,
    j.source_kind,
    j.source_id,
    j.promise_date,
    j.amount,
    j.paid_in_window,
    date_diff('day', j.promise_date, CAST($as_of - INTERVAL 1 MICROSECOND AS DATE)) AS days_overdue
FROM judged j
WHERE NOT EXISTS (
    SELECT 1 FROM contacts c
    WHERE c.account_id = j.account_id AND c.is_attempt
      AND c.contact_at >= j.due_at AND c.contact_at < $as_of
      AND c.contact_at >= CAST($start_date AS TIMESTAMPTZ)
)
ORDER BY days_overdue DESC, j.account_id, j.source_id
