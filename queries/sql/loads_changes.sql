-- Values a later load changed in rows already loaded (change_log: one row per changed cell),
-- newest load first, with who loaded. $load_id NULL = every load; at most $limit rows (the
-- newest; loads_changes_summary counts them all).
SELECT
    c.load_id,
    r.loaded_by,
    c.changed_at,
    c.table_name,
    c.key,
    c.column_name,
    c.old_value,
    c.new_value
FROM change_log c
LEFT JOIN load_runs r USING (load_id)
WHERE $load_id IS NULL OR c.load_id = $load_id
ORDER BY c.load_id DESC, c.table_name, c.column_name, c.key
LIMIT $limit
