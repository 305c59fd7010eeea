-- The kept flow sums of the periods a refresh replaces (refresh_flow_cells.sql).
DELETE FROM flow_period_cells WHERE list_contains($periods, period)
