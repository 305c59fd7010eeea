-- One row per account with everything a filter or a portfolio grouping needs:
-- the bucket from dpd_at_assignment, the portfolio team (accounts.team_id, else the owner
-- agent's team, else '(unassigned)'), the debtor (debtor_id, else the account) and its zone. The
-- bucket is macros/buckets.sql's.
CREATE OR REPLACE TABLE account_dim AS
SELECT
    a.account_id,
    a.product,
    a.strategy,
    dpd_bucket(a.dpd_at_assignment) AS bucket,
    coalesce(a.team_id, ag.team_id, '(unassigned)') AS portfolio_team_id,
    a.agent_id AS owner_agent_id,
    coalesce(a.debtor_id, a.account_id) AS debtor_key,
    coalesce(a.timezone, current_setting('TimeZone')) AS tz,
    a.debtor_age_band,
    a.balance_at_assignment,
    a.assigned_at,
    a.closed_at,
    a.close_reason
FROM accounts a
LEFT JOIN agents ag ON ag.agent_id = a.agent_id
