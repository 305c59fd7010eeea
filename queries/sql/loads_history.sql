-- Every load and the files it read, newest load first, with each file's row counts
-- (read = loaded + rejected + duplicates). A load that read no file still shows, once.
SELECT
    r.load_id,
    r.started_at,
    r.finished_at,
    r.status AS load_status,
    r.source,
    r.message AS load_message,
    f.file_id,
    f.path,
    f.table_name,
    f.encoding,
    f.mapping,
    f.status AS file_status,
    f.message AS file_message,
    f.rows_read,
    f.rows_loaded,
    f.rows_rejected,
    f.duplicates,
    f.extra_columns
FROM load_runs r
LEFT JOIN loaded_files f USING (load_id)
ORDER BY r.load_id DESC, f.file_id
