-- The delinquency buckets in order (current, M1 ... M7+), from their one definition.
SELECT dpd_buckets() AS buckets
