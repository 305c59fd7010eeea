-- Every load and the files it read, newest load first: who loaded, each file's name (never a
-- server path) and checksum, and its row counts (read = loaded + rejected + duplicates). A load
-- that read no file still shows, once. Only the columns the Data page shows, plus file_id to
-- find a picked file's rejects.
-- A database an older release built has no loaded_by until its next load: the BY NAME union
-- supplies it (NULL) then.
WITH runs AS (
    SELECT * EXCLUDE (source, message) FROM load_runs
    UNION ALL BY NAME
    SELECT NULL::VARCHAR AS loaded_by WHERE false
)
SELECT
    r.load_id,
    r.started_at,
    r.loaded_by,
    r.status AS load_status,
    f.file_id,
    f.path,
    f.checksum AS sha256,
    f.table_name,
    f.encoding,
    f.mapping,
    f.status AS file_status,
    f.message AS file_message,
    f.rows_read,
    f.rows_loaded,
    f.rows_rejected,
    f.duplicates
FROM runs r
LEFT JOIN loaded_files f USING (load_id)
ORDER BY r.load_id DESC, f.file_id
