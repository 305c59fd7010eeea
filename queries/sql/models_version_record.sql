-- The fingerprint of the derived models' SQL that last refreshed this database.
CREATE OR REPLACE TABLE models_version AS SELECT $version::VARCHAR AS version
