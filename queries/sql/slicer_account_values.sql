-- The distinct values of the account slicers (strategy, product, bucket), one row per value.
SELECT DISTINCT 'strategy' AS slicer, strategy AS value FROM account_dim
UNION ALL
SELECT DISTINCT 'product', product FROM account_dim
UNION ALL
SELECT DISTINCT 'bucket', bucket FROM account_dim
ORDER BY slicer, value
