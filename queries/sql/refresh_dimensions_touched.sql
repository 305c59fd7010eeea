-- Whether a load wrote rows that account_dim or plan_dim read (accounts, agents, plans,
-- installments): only then can an account's own attributes or plans have changed.
SELECT
    EXISTS (FROM accounts WHERE _load_id = $load_id)
    OR EXISTS (FROM agents WHERE _load_id = $load_id)
    OR EXISTS (FROM plans WHERE _load_id = $load_id)
    OR EXISTS (FROM plan_installments WHERE _load_id = $load_id) AS touched
