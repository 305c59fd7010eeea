-- The fingerprint of the derived models' SQL that refreshed this database, and the site time
-- zone they were built in (site dates and the default account zone are baked into them).
CREATE OR REPLACE TABLE models_version AS
SELECT $version::VARCHAR AS version, current_setting('TimeZone') AS timezone
