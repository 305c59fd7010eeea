-- Account snapshots in date order, each with the date of the account's next snapshot: "the
-- latest snapshot of some days that as_of sees" is then one filter (dated in the days, and
-- the next one after them or none) instead of a grouping over every account.

-- snapshot_rebuilt(account, day, next_day): a chain row a refresh rebuilds
-- (macros/rebuild.sql): a snapshot of the rebuilt days, or an account's last snapshot before
-- them when it has one in them (its next date may change).
CREATE OR REPLACE MACRO snapshot_rebuilt(account, day, next_day) AS
    day >= rebuilt_since_day()
    OR (
        coalesce(next_day >= rebuilt_since_day(), true)
        AND account IN (
            SELECT account_id FROM account_snapshots WHERE snapshot_date >= rebuilt_since_day()
        )
    );

CREATE OR REPLACE MACRO snapshot_chain_rebuilt() AS TABLE
WITH renewed AS (
    SELECT account_id, snapshot_date, dpd, balance, status
    FROM account_snapshots
    WHERE snapshot_date >= rebuilt_since_day()
),
last_before AS (
    SELECT account_id, max(snapshot_date) AS snapshot_date
    FROM account_snapshots
    WHERE snapshot_date < rebuilt_since_day()
      AND account_id IN (SELECT account_id FROM renewed)
    GROUP BY account_id
),
rebuilt AS (
    FROM renewed
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
