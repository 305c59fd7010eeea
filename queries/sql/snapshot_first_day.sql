-- The earliest snapshot date loaded (NULL without snapshots): no period starting on or before
-- it has a book, so the refresh keeps flow sums only for those after it.
SELECT min(snapshot_date) AS first_day FROM account_snapshots
