-- The first site day (its midnight, site time) that a load's new or changed event rows and
-- snapshots fall on: an incremental refresh rebuilds every derived row from it. NULL when the
-- load touched no event row and no snapshot. A row is the load's when the load wrote it
-- (`_load_id`) or changed one of its values (change_log: only calls and messages have columns
-- a later file may fill in; an id of one matching an id of the other only starts the rebuild
-- earlier).
WITH changed AS (
    SELECT key FROM change_log
    WHERE load_id = $load_id AND table_name IN ('calls', 'messages')
),
touched AS (
    SELECT min(started_at) AS first_at FROM calls
    WHERE _load_id = $load_id OR call_id IN (SELECT key FROM changed)
    UNION ALL
    SELECT min(sent_at) FROM messages
    WHERE _load_id = $load_id OR message_id IN (SELECT key FROM changed)
    UNION ALL
    SELECT min(visited_at) FROM visits WHERE _load_id = $load_id
    UNION ALL
    SELECT min(paid_at) FROM payments WHERE _load_id = $load_id
    UNION ALL
    SELECT CAST(min(snapshot_date) AS TIMESTAMPTZ) FROM account_snapshots
    WHERE _load_id = $load_id
)
SELECT CAST(CAST(min(first_at) AS DATE) AS TIMESTAMPTZ) AS since FROM touched
