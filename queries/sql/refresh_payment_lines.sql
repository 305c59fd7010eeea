-- Every payment and reversal as one signed line, in the shape every money sum reads.
-- A reversal (reverses_payment_id set) takes the account and the plan of the payment it
-- reverses and subtracts its amount at its own paid_at; its own plan_id is ignored.
-- `source_payment_id` is the payment a line belongs to (itself for a payment), so attribution
-- and plan allocation decided for a payment carry over to its reversals. `paid_date`: the site
-- date of paid_at (weekly sums group by it without converting every instant). The account's
-- portfolio team, owner agent and slicers ride along, so money sums need no join per query.
CREATE OR REPLACE MACRO payment_lines_rebuilt() AS TABLE
SELECT
    p.payment_id,
    coalesce(p.reverses_payment_id, p.payment_id) AS source_payment_id,
    p.reverses_payment_id IS NOT NULL AS is_reversal,
    coalesce(o.account_id, p.account_id) AS account_id,
    CASE WHEN p.reverses_payment_id IS NULL THEN p.plan_id ELSE o.plan_id END AS plan_id,
    p.paid_at,
    CAST(p.paid_at AS DATE) AS paid_date,
    CASE WHEN p.reverses_payment_id IS NULL THEN p.amount ELSE -p.amount END AS net_amount,
    d.portfolio_team_id,
    d.owner_agent_id,
    d.strategy,
    d.product,
    d.bucket
FROM payments p
LEFT JOIN payments o ON o.payment_id = p.reverses_payment_id
LEFT JOIN account_dim d ON d.account_id = coalesce(o.account_id, p.account_id)
WHERE rebuilt_at(p.paid_at, coalesce(o.account_id, p.account_id))
ORDER BY p.paid_at, p.payment_id;

CREATE OR REPLACE TABLE payment_lines AS FROM payment_lines_rebuilt()
