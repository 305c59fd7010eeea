-- One row per installment of a consistent plan created before as_of, with its due instant
-- (00:00 site on due_date + plan_grace_days + 1 day), the cumulative amount due of
-- installments 1..k (installment_dim), what the plan had received by its due instant
-- (installments are paid in order) and by as_of, and whether a newer plan before as_of leaves
-- it out (due_date on or after the site date of the next plan's created_at). Payments:
-- `plan_payment_lines` (each line with the plan it counts toward, from the refresh).
-- Comparisons use site dates (an instant at a site midnight is before T exactly when its date
-- is before T's date); instants are made only for the output.
WITH wanted AS (
    -- $due_in_period: only installments whose due day (due_date + plan_grace_days) falls in
    -- the period (for the rates), bounded on due_date itself so that zone maps skip the rest
    SELECT
        i.plan_id, i.installment_no, i.due_date, i.amount_due, i.cum_due,
        i.due_date + $plan_grace_days AS due_day,
        i.due_date + ($plan_grace_days + 1) AS due_at_date,
        i.due_date + ($broken_after_days + 1) AS broken_at_date,
        p.account_id, p.agent_id, p.plan_type, p.team_id, p.created_at,
        p.next_plan_created_at < $as_of
            AND i.due_date >= p.next_plan_created_date AS superseded_out
    FROM installment_dim i
    JOIN plan_dim p USING (plan_id)
    WHERE p.consistent AND p.created_at < $as_of
      AND in_slices($teams, $agents, $strategies, $products, $buckets,
                    p.team_id, p.agent_id, p.strategy, p.product, p.bucket)
      AND (NOT $due_in_period
           OR i.due_date BETWEEN $start_date - $plan_grace_days AND $end_date - $plan_grace_days)
),
paid AS (
    SELECT
        i.plan_id, i.installment_no,
        coalesce(sum(l.net_amount) FILTER (l.paid_date < i.due_at_date), 0) AS paid_by_due,
        coalesce(sum(l.net_amount) FILTER (l.paid_at < $as_of), 0) AS paid_by_as_of
    FROM wanted i
    LEFT JOIN plan_payment_lines l
      ON l.plan_id = i.plan_id AND (l.paid_date < i.due_at_date OR l.paid_at < $as_of)
    GROUP BY ALL
)
SELECT
    i.* EXCLUDE (due_at_date, broken_at_date),
    CAST(i.due_at_date AS TIMESTAMPTZ) AS due_at,
    CAST(i.broken_at_date AS TIMESTAMPTZ) AS broken_at,
    CAST(date_trunc('week', i.due_day) AS DATE) AS week,
    i.due_at_date <= least(CAST(date_trunc('week', i.due_day) AS DATE) + 7, CAST($as_of AS DATE))
        AS due_in_its_week,
    i.due_at_date <= CAST($as_of AS DATE) AS due,
    p.paid_by_due >= i.cum_due - 0.01 AS on_time,
    -- what the on-time rate counts: due by its week's end (or as_of), not left out by a newer
    -- plan; and of those, the ones paid on time
    due_in_its_week AND NOT coalesce(i.superseded_out, false) AS counted_due,
    counted_due AND on_time AS counted_on_time,
    p.paid_by_as_of,
    p.paid_by_as_of < i.cum_due - 0.01 AS short_at_as_of
FROM wanted i
JOIN paid p USING (plan_id, installment_no)
ORDER BY i.plan_id, i.installment_no
