-- Changed values counted per load, table and column (one per row: a load changes a cell once),
-- newest load first, with who loaded. $load_id NULL = every load.
SELECT
    c.load_id,
    any_value(r.loaded_by) AS loaded_by,
    c.table_name,
    c.column_name,
    count(*) AS values_changed
FROM change_log c
LEFT JOIN load_runs r USING (load_id)
WHERE $load_id IS NULL OR c.load_id = $load_id
GROUP BY c.load_id, c.table_name, c.column_name
ORDER BY c.load_id DESC, c.table_name, c.column_name
