-- Portfolio flow's sums kept for every calendar month (queries/flow.py, keep_flow_cells): a
-- year of books is 1.4M accounts × 12 months at 40M calls, so a month's figures, a trend or a
-- headline at the default as_of read these sums instead of the snapshots. Weeks are summed
-- from the snapshots when asked.
--   flow_kept_periods: each month kept and the as_of its sums were judged at; a question at
--     another as_of (an explicit, earlier one) sums the book from the snapshots
--   flow_period_cells: flow_fine_cells of the kept months, the slicers open
-- The full refresh empties both; keep_flow_cells then fills them, and after a load replaces
-- the months the load can change (those ending on or after its first day, the running month
-- whose as_of moved, and every month when accounts changed).
CREATE OR REPLACE TABLE flow_kept_periods (period VARCHAR, as_of TIMESTAMPTZ);

CREATE OR REPLACE TABLE flow_period_cells (
    period VARCHAR,
    strategy VARCHAR,
    product VARCHAR,
    assignment_bucket VARCHAR,
    team_id VARCHAR,
    agent_id VARCHAR,
    opening_bucket VARCHAR,
    opening_rank BIGINT,
    closing_state VARCHAR,
    observed BOOLEAN,
    cured BOOLEAN,
    rolled_forward BOOLEAN,
    accounts BIGINT,
    opening_balance DECIMAL(38, 2),
    closing_balance DECIMAL(38, 2)
);
