-- The accounts an incremental refresh rebuilds whole (macros/rebuild.sql): those whose
-- account_dim or plan_dim rows the load changed (new ones included), compared with the copies
-- taken before they were rebuilt, and every account of their debtors (the daily cap counts a
-- debtor's calls across accounts).
INSERT INTO refresh_accounts
WITH changed AS (
    SELECT account_id, debtor_key FROM (FROM account_dim_before EXCEPT FROM account_dim)
    UNION ALL
    SELECT account_id, debtor_key FROM (FROM account_dim EXCEPT FROM account_dim_before)
),
changed_plans AS (
    SELECT account_id FROM (FROM plan_dim_before EXCEPT FROM plan_dim)
    UNION ALL
    SELECT account_id FROM (FROM plan_dim EXCEPT FROM plan_dim_before)
)
SELECT account_id FROM changed
UNION
SELECT account_id FROM account_dim WHERE debtor_key IN (SELECT debtor_key FROM changed)
UNION
SELECT account_id FROM changed_plans
