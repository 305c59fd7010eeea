-- The flow sums of the periods a refresh replaces, the slicers open (refresh_flow_cells.sql).
INSERT INTO flow_period_cells
FROM flow_fine_cells(
    $periods, $period_starts, $first_days, $closing_days, $as_ofs, [], [], [], [], []
)
