-- One row per repayment plan with what every plan metric needs: its installments' count and
-- Σ amount_due, whether it is consistent (≥ 1 installment and Σ amount_due = total_amount −
-- waived_amount ± 0.01; an inconsistent plan is listed and left out of every rate), the
-- account's slicers and portfolio team, and `next_plan_created_at`: when the account's next
-- plan (by created_at, then plan_id) was created (the plan is superseded at any as_of after it),
-- and its site date.
CREATE OR REPLACE TABLE plan_dim AS
WITH sums AS (
    SELECT plan_id, count(*) AS installments, sum(amount_due) AS sum_due
    FROM plan_installments
    GROUP BY ALL
)
SELECT
    p.plan_id,
    p.account_id,
    p.agent_id,
    p.created_at,
    p.plan_type,
    p.total_amount,
    coalesce(p.waived_amount, 0) AS waived_amount,
    coalesce(s.installments, 0) AS installments,
    coalesce(s.sum_due, 0) AS sum_due,
    coalesce(s.installments, 0) >= 1
        AND abs(s.sum_due - (p.total_amount - coalesce(p.waived_amount, 0))) <= 0.01 AS consistent,
    lead(p.created_at) OVER (
        PARTITION BY p.account_id ORDER BY p.created_at, p.plan_id
    ) AS next_plan_created_at,
    CAST(next_plan_created_at AS DATE) AS next_plan_created_date,
    d.portfolio_team_id AS team_id,
    d.strategy,
    d.product,
    d.bucket
FROM plans p
LEFT JOIN sums s USING (plan_id)
JOIN account_dim d USING (account_id);

-- One row per installment with `cum_due`: Σ amount_due of its plan's installments 1..k.
-- Installments are paid in order, so installment k is short while the plan's payments are below
-- it (the on-time rate and the plan status both read it). Kept in due-date order, so that a
-- period's installments are read by zone map; rebuilt whole with plan_dim.
CREATE OR REPLACE TABLE installment_dim AS
SELECT
    plan_id,
    installment_no,
    due_date,
    amount_due,
    sum(amount_due) OVER (PARTITION BY plan_id ORDER BY installment_no) AS cum_due
FROM plan_installments
ORDER BY due_date, plan_id, installment_no;
