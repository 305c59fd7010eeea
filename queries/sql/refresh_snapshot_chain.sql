-- Account snapshots in date order, each with the date of the account's next snapshot: "the
-- latest snapshot of some days that as_of sees" is then one filter (dated in the days, and
-- the next one after them or none) instead of a grouping over every account.
-- A refresh (macros/rebuild.sql) rebuilds the snapshots of the days it rebuilds and each
-- account's last snapshot before them, whose next date they may change.

-- snapshot_rebuilt(snapshot_date, next_date): a chain row a refresh rebuilds.
CREATE OR REPLACE MACRO snapshot_rebuilt(snapshot_date, next_date) AS
    snapshot_date >= rebuilt_since_day() OR coalesce(next_date >= rebuilt_since_day(), true);

CREATE OR REPLACE MACRO snapshot_chain_rebuilt() AS TABLE
WITH last_before AS (
    SELECT account_id, max(snapshot_date) AS snapshot_date
    FROM account_snapshots
    WHERE snapshot_date < rebuilt_since_day()
    GROUP BY account_id
),
rebuilt AS (
    SELECT account_id, snapshot_date, dpd, balance, status
    FROM account_snapshots
    WHERE snapshot_date >= rebuilt_since_day()
    UNION ALL
    SELECT s.account_id, s.snapshot_date, s.dpd, s.balance, s.status
    FROM account_snapshots s
    JOIN last_before USING (account_id, snapshot_date)
)
SELECT
    account_id, snapshot_date, dpd, balance, status,
    lead(snapshot_date) OVER (PARTITION BY account_id ORDER BY snapshot_date) AS next_date
FROM rebuilt
ORDER BY snapshot_date, account_id;

CREATE OR REPLACE TABLE snapshot_chain AS FROM snapshot_chain_rebuilt();
