-- The latest snapshot date loaded (NULL without snapshots): the portfolio-flow and agency
-- figures count it as an event day for their default as_of.
SELECT max(snapshot_date) AS latest_day FROM account_snapshots
