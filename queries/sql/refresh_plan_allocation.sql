-- Which plan each payment counts toward, decided once per load (it depends on no setting and
-- no as_of: a payment's plan is fixed by what came before it).
--
-- A payment without plan_id goes to the account's latest consistent plan (by created_at, then
-- plan_id) created at or before its paid_at and not yet completed at it: the plan's net
-- payments ordered before it by (paid_at, payment_id) are short of Σ amount_due − 0.01.
-- Completion depends on earlier allocations, so the allocation is iterated to a fixpoint
-- (a recursive CTE keyed by payment: each pass recomputes every allocation from the previous
-- state and keeps the changes). Pass k settles at least the k-th unplanned payment of every
-- account, so the iteration ends. Reversals are never allocated: they follow their payment.
-- A refresh rebuilds the allocation of every payment of an account with a payment line rebuilt
-- (macros/rebuild.sql) or whose plans changed (it is then in refresh_accounts), so that each
-- account's iteration sees all of its payments.
-- (noqa: the linter does not know DuckDB's recursive CTE with USING KEY)

-- rebuilt_payer(account): the account's allocations are rebuilt.
CREATE OR REPLACE MACRO rebuilt_payer(account) AS
    account IN (SELECT account_id FROM payment_lines WHERE rebuilt_at(paid_at, account_id));

CREATE OR REPLACE MACRO plan_allocation_rebuilt() AS TABLE  -- noqa: PRS, CP02
WITH RECURSIVE unplanned AS (  -- noqa: PRS
    SELECT l.payment_id, l.account_id, l.paid_at
    FROM payment_lines l
    WHERE NOT l.is_reversal AND l.plan_id IS NULL
      AND l.account_id IN (SELECT account_id FROM plan_dim WHERE consistent)
      AND rebuilt_payer(l.account_id)
),
candidates AS (
    SELECT u.payment_id, u.paid_at, p.plan_id, p.created_at, p.sum_due
    FROM unplanned u
    JOIN plan_dim p
      ON p.account_id = u.account_id AND p.consistent AND p.created_at <= u.paid_at
),
planned_lines AS (
    -- lines on accounts with candidates: their own plan, or their payment's allocation
    SELECT l.payment_id, l.source_payment_id, l.paid_at, l.plan_id, l.net_amount
    FROM payment_lines l
    WHERE l.account_id IN (SELECT account_id FROM unplanned)
),
alloc(payment_id, plan_id, pass) USING KEY (payment_id) AS (
    SELECT payment_id, NULL::VARCHAR, 0 FROM unplanned
    UNION
    SELECT following.payment_id, following.plan_id, following.pass
    FROM (
        SELECT
            u.payment_id,
            arg_max(c.plan_id, (c.created_at, c.plan_id)) FILTER (c.paid < c.sum_due - 0.01)
                AS plan_id,
            (SELECT max(pass) FROM alloc) + 1 AS pass
        FROM unplanned u
        LEFT JOIN (
            SELECT c.payment_id, c.plan_id, c.created_at, c.sum_due,
                coalesce(sum(r.net_amount), 0) AS paid
            FROM candidates c
            LEFT JOIN (
                SELECT pl.payment_id, pl.paid_at, pl.net_amount,
                    coalesce(pl.plan_id, a.plan_id) AS plan_id
                FROM planned_lines pl
                LEFT JOIN recurring.alloc a ON a.payment_id = pl.source_payment_id
            ) r
              ON r.plan_id = c.plan_id
             AND (r.paid_at < c.paid_at OR (r.paid_at = c.paid_at AND r.payment_id < c.payment_id))
            GROUP BY ALL
        ) c USING (payment_id)
        GROUP BY u.payment_id
    ) following
    JOIN recurring.alloc current USING (payment_id)
    WHERE following.plan_id IS DISTINCT FROM current.plan_id
)
SELECT a.payment_id, a.plan_id, u.account_id
FROM alloc a
JOIN unplanned u USING (payment_id)
WHERE a.plan_id IS NOT NULL
ORDER BY a.payment_id;

CREATE OR REPLACE TABLE plan_allocation AS FROM plan_allocation_rebuilt();

-- Every payment line with the plan it counts toward (its plan_id, else its allocation; a
-- reversal follows its payment), for the plan metrics.
CREATE OR REPLACE MACRO plan_payment_lines_rebuilt() AS TABLE
SELECT
    l.payment_id, coalesce(l.plan_id, a.plan_id) AS plan_id, l.paid_at, l.paid_date, l.net_amount,
    l.account_id
FROM payment_lines l
LEFT JOIN plan_allocation a ON a.payment_id = l.source_payment_id
WHERE coalesce(l.plan_id, a.plan_id) IS NOT NULL AND rebuilt_payer(l.account_id)
ORDER BY l.paid_at, l.payment_id;

CREATE OR REPLACE TABLE plan_payment_lines AS FROM plan_payment_lines_rebuilt();
