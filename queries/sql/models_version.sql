-- The fingerprint recorded by the last refresh (see queries/refresh.py: is_current).
SELECT version FROM models_version
