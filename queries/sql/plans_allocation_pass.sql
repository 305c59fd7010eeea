-- One pass of the no-plan_id allocation. Given the current allocation in `plan_allocation`
-- (payment_id, plan_id; registered by queries/plans.py), give each payment without plan_id the
-- account's latest consistent plan (by created_at, then plan_id) created at or before its
-- paid_at and not yet completed at it: the plan's net payments ordered before it by
-- (paid_at, payment_id) are short of Σ amount_due − 0.01. Reversals are never allocated; they
-- follow the payment they reverse. Repeating passes until nothing changes reaches the order-by-
-- order answer: pass k fixes at least the k-th unallocated payment of every account.
WITH resolved AS (
    SELECT l.payment_id, l.paid_at, coalesce(l.plan_id, a.plan_id) AS plan_id, l.net_amount
    FROM payment_lines l
    LEFT JOIN plan_allocation a ON a.payment_id = l.source_payment_id
),
unplanned AS (
    SELECT l.payment_id, l.account_id, l.paid_at
    FROM payment_lines l
    WHERE NOT l.is_reversal AND l.plan_id IS NULL
      AND l.account_id IN (SELECT account_id FROM plan_dim WHERE consistent)
),
candidates AS (
    SELECT u.payment_id, p.plan_id, p.created_at, p.sum_due
    FROM unplanned u
    JOIN plan_dim p
      ON p.account_id = u.account_id AND p.consistent AND p.created_at <= u.paid_at
),
paid_before AS (
    SELECT c.payment_id, c.plan_id, c.created_at, c.sum_due,
        coalesce(sum(r.net_amount), 0) AS paid
    FROM candidates c
    JOIN unplanned u USING (payment_id)
    LEFT JOIN resolved r
      ON r.plan_id = c.plan_id
     AND (r.paid_at < u.paid_at OR (r.paid_at = u.paid_at AND r.payment_id < u.payment_id))
    GROUP BY ALL
)
SELECT payment_id, arg_max(plan_id, (created_at, plan_id)) AS plan_id
FROM paid_before
WHERE paid < sum_due - 0.01
GROUP BY ALL
ORDER BY payment_id
