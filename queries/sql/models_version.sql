-- The fingerprint, site time zone and recovery horizons recorded by the last refresh (see
-- queries/refresh.py).
SELECT * FROM models_version
