-- Payment lines on accounts that have a plan, with their own plan_id (a reversal carries the
-- plan_id of the payment it reverses); queries/plans.py adds the no-plan_id allocation.
SELECT payment_id, source_payment_id, plan_id, paid_at, net_amount
FROM payment_lines
WHERE account_id IN (SELECT account_id FROM plan_dim)
