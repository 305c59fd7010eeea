-- The periods whose flow sums the refresh keeps, with the as_of they were judged at
-- (refresh_flow_cells.sql).
SELECT period, as_of FROM flow_kept_periods
