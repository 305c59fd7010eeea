-- The first site day (its midnight, site time) that a load's new or changed event rows and
-- snapshots fall on: an incremental refresh rebuilds every derived row from it. NULL when the
-- load touched no event row and no snapshot. A row is the load's when it was written by it
-- (`_load_id`) or when the load changed one of its values (change_log).
WITH touched AS (
    SELECT min(started_at) AS first_at FROM calls
    WHERE _load_id = $load_id OR call_id IN (
        SELECT key FROM change_log WHERE load_id = $load_id AND table_name = 'calls'
    )
    UNION ALL
    SELECT min(visited_at) FROM visits
    WHERE _load_id = $load_id OR visit_id IN (
        SELECT key FROM change_log WHERE load_id = $load_id AND table_name = 'visits'
    )
    UNION ALL
    SELECT min(sent_at) FROM messages
    WHERE _load_id = $load_id OR message_id IN (
        SELECT key FROM change_log WHERE load_id = $load_id AND table_name = 'messages'
    )
    UNION ALL
    SELECT min(paid_at) FROM payments
    WHERE _load_id = $load_id OR payment_id IN (
        SELECT key FROM change_log WHERE load_id = $load_id AND table_name = 'payments'
    )
    UNION ALL
    SELECT CAST(min(snapshot_date) AS TIMESTAMPTZ) FROM account_snapshots
    WHERE _load_id = $load_id
)
SELECT CAST(CAST(min(first_at) AS DATE) AS TIMESTAMPTZ) AS since FROM touched
