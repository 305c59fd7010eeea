-- Which periods' flow sums are kept, and at which as_of, once they are all in place
-- (refresh_flow_cells.sql).
CREATE OR REPLACE TABLE flow_kept_periods AS
SELECT
    CAST(unnest($periods) AS VARCHAR) AS period,
    CAST(unnest($as_ofs) AS TIMESTAMPTZ) AS as_of
