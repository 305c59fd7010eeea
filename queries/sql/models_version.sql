-- The fingerprint and site time zone recorded by the last refresh (see queries/refresh.py).
SELECT * FROM models_version
