-- Freshness per contract table: rows held, the site date of its latest record (the event time
-- for event logs and dated tables; assignment / creation for accounts and plans; none for
-- agents and installments, whose dates are schedules, not events), whether it is a daily event
-- log (the tables that should reach the latest day), and its last load.
WITH latest AS (
    SELECT 'agents' AS table_name, count(*) AS rows_held, NULL::DATE AS latest_day, false AS is_event_log FROM agents
    UNION ALL SELECT 'accounts', count(*), CAST(max(assigned_at) AS DATE), false FROM accounts
    UNION ALL SELECT 'account_snapshots', count(*), max(snapshot_date), false FROM account_snapshots
    UNION ALL SELECT 'plans', count(*), CAST(max(created_at) AS DATE), false FROM plans
    UNION ALL SELECT 'plan_installments', count(*), NULL::DATE, false FROM plan_installments
    UNION ALL SELECT 'shifts', count(*), max(work_date), false FROM shifts
    UNION ALL SELECT 'pulse', count(*), max(survey_date), false FROM pulse
    UNION ALL SELECT 'coaching_sessions', count(*), max(session_date), false FROM coaching_sessions
    UNION ALL SELECT 'complaints', count(*), CAST(max(received_at) AS DATE), false FROM complaints
    UNION ALL SELECT 'calls', count(*), CAST(max(started_at) AS DATE), true FROM calls
    UNION ALL SELECT 'visits', count(*), CAST(max(visited_at) AS DATE), true FROM visits
    UNION ALL SELECT 'messages', count(*), CAST(max(sent_at) AS DATE), true FROM messages
    UNION ALL SELECT 'payments', count(*), CAST(max(paid_at) AS DATE), true FROM payments
),
last_load AS (
    SELECT
        f.table_name,
        max(coalesce(r.finished_at, r.started_at)) AS last_loaded_at,
        arg_max(f.path, f.file_id) AS last_file
    FROM loaded_files f
    JOIN load_runs r USING (load_id)
    WHERE f.status = 'loaded' AND r.status = 'committed'
    GROUP BY f.table_name
)
SELECT l.table_name, l.rows_held, l.latest_day, l.is_event_log, ll.last_loaded_at, ll.last_file
FROM latest l
LEFT JOIN last_load ll USING (table_name)
ORDER BY l.is_event_log DESC, l.table_name
