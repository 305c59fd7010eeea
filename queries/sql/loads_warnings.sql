-- Rows loaded with a warning (for example an unknown optional reference), newest load first.
-- $load_id NULL = every load. file_id finds a picked file's rows.
SELECT
    w.load_id,
    w.file_id,
    f.path,
    w.table_name,
    w.line,
    w.column_name,
    w.reason,
    w.value
FROM load_warnings w
LEFT JOIN loaded_files f USING (file_id)
WHERE $load_id IS NULL OR w.load_id = $load_id
ORDER BY w.load_id DESC, f.path, w.line, w.column_name
