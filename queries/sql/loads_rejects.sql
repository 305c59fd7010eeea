-- Rejected rows with the file's name, the physical line (header = 1), the column and the
-- reason; newest load first. $load_id NULL = every load. file_id finds a picked file's rows.
SELECT
    j.load_id,
    j.file_id,
    f.path,
    j.table_name,
    j.line,
    j.column_name,
    j.reason,
    j.value,
    j.retryable
FROM load_rejects j
LEFT JOIN loaded_files f USING (file_id)
WHERE $load_id IS NULL OR j.load_id = $load_id
ORDER BY j.load_id DESC, f.path, j.line, j.column_name
