-- The fingerprint of the derived models' SQL that refreshed this database, the site time zone
-- they were built in (site dates and the default account zone are baked into them) and the
-- recovery horizons whose windows account_windows keeps.
CREATE OR REPLACE TABLE models_version AS
SELECT
    $version::VARCHAR AS version,
    current_setting('TimeZone') AS timezone,
    CAST(getvariable('recovery_days') AS INTEGER[]) AS recovery_days
