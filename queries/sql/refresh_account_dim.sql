-- One row per account with everything a filter or a portfolio grouping needs:
-- the bucket from dpd_at_assignment, the portfolio team (accounts.team_id, else the owner
-- agent's team, else '(unassigned)'), the debtor (debtor_id, else the account) and its zone.

-- dpd_buckets(): the delinquency buckets in order, 30 days past due a bucket: current (0),
-- M1 (1-30), M2 (31-60) ... M6 (151-180), M7+ (181 and more). The assignment bucket and the
-- portfolio flow's opening and closing buckets (account_snapshots) all read this one list.
CREATE OR REPLACE MACRO dpd_buckets() AS ['current', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+'];

-- dpd_bucket(dpd): the bucket of a days-past-due figure.
CREATE OR REPLACE MACRO dpd_bucket(dpd) AS
    dpd_buckets()[least(greatest(CAST(ceil(dpd / 30) AS INTEGER), 0), 7) + 1];

-- bucket_rank(bucket): its place in dpd_buckets() (1 = current), NULL for any other state.
CREATE OR REPLACE MACRO bucket_rank(bucket) AS nullif(list_position(dpd_buckets(), bucket), 0);

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
