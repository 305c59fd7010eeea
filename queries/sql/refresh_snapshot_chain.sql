-- Account snapshots in date order, each with the date of the account's next snapshot: "the
-- latest snapshot of some days that as_of sees" is then one filter (dated in the days, and
-- the next one after them or none) instead of a grouping over every account.
CREATE OR REPLACE TABLE snapshot_chain AS
SELECT
    account_id, snapshot_date, dpd, balance, status,
    lead(snapshot_date) OVER (PARTITION BY account_id ORDER BY snapshot_date) AS next_date
FROM account_snapshots
ORDER BY snapshot_date, account_id
