-- Every plan created before as_of with its status at as_of, from payments before as_of:
-- inconsistent (left out of every rate), completed, superseded (a newer plan exists), broken
-- (a due installment still short and as_of ≥ 00:00 on its due_date + broken_after_days + 1),
-- late (a due installment still short, for less), on_track. Installments left out by a newer
-- plan do not count; a superseded plan is superseded whatever its installments say.
WITH plans_in AS (
    SELECT *
    FROM plan_dim p
    WHERE p.created_at < $as_of
      AND in_slices($teams, $agents, $strategies, $products, $buckets,
                    p.team_id, p.agent_id, p.strategy, p.product, p.bucket)
),
paid AS (
    SELECT l.plan_id, sum(l.net_amount) AS paid
    FROM plan_payment_lines l
    WHERE l.paid_at < $as_of
    GROUP BY ALL
),
shortfalls AS (
    -- installments are paid in order: installment k is short while the plan's payments before
    -- as_of are below the amounts due of installments 1..k
    SELECT
        i.plan_id,
        bool_or(i.due_at <= $as_of AND i.short) AS any_short,
        bool_or(i.broken_at <= $as_of AND i.short) AS any_broken
    FROM (
        SELECT
            i.plan_id,
            CAST(i.due_date + ($plan_grace_days + 1) AS TIMESTAMPTZ) AS due_at,
            CAST(i.due_date + ($broken_after_days + 1) AS TIMESTAMPTZ) AS broken_at,
            coalesce(pd.paid, 0) < i.cum_due - 0.01 AS short
        FROM installment_dim i
        JOIN plans_in USING (plan_id)
        LEFT JOIN paid pd USING (plan_id)
    ) i
    GROUP BY ALL
)
SELECT
    p.plan_id, p.account_id, p.agent_id, p.team_id, p.plan_type, p.created_at,
    p.total_amount, p.waived_amount, p.sum_due, p.installments,
    coalesce(pd.paid, 0) AS paid,
    CASE
        WHEN NOT p.consistent THEN 'inconsistent'
        WHEN coalesce(pd.paid, 0) >= p.sum_due - 0.01 THEN 'completed'
        WHEN p.next_plan_created_at < $as_of THEN 'superseded'
        WHEN s.any_broken THEN 'broken'
        WHEN s.any_short THEN 'late'
        ELSE 'on_track'
    END AS status
FROM plans_in p
LEFT JOIN paid pd USING (plan_id)
LEFT JOIN shortfalls s USING (plan_id)
ORDER BY p.plan_id
