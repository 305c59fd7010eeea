-- Per-day aggregates (contact_days, agent_call_days) hold whole site days. A figure reads them
-- for the days of [start_at, end_at) that end before as_of, and counts the rest (at most the day
-- as_of falls in, when an explicit as_of is not a midnight) from the event rows:
-- first_partial_day(end_at, as_of): the first site day the aggregates may not be read for.
CREATE OR REPLACE MACRO first_partial_day(end_at, as_of) AS CAST(least(end_at, as_of) AS DATE);

-- partial_day_start(start_at, end_at, as_of): where the event-row part of such a figure starts.
CREATE OR REPLACE MACRO partial_day_start(start_at, end_at, as_of) AS
    greatest(start_at, CAST(first_partial_day(end_at, as_of) AS TIMESTAMPTZ));

-- day_row_in(site_date, team, agent, start_at, end_at, as_of, the five selections): an
-- aggregate's row counts for the figure: a whole day of the period before as_of, the acting
-- team and agent chosen, and no account slicer (the aggregates are by agent, not by account).
CREATE OR REPLACE MACRO day_row_in(
    site_date, team, agent, start_at, end_at, as_of, teams, agents, strategies, products, buckets
) AS
    len(strategies) + len(products) + len(buckets) = 0
    AND site_date >= CAST(start_at AS DATE) AND site_date < first_partial_day(end_at, as_of)
    AND in_slice(teams, team) AND in_slice(agents, agent);

-- event_rows_start(start_at, end_at, as_of, strategies, products, buckets): where the part
-- counted from the event rows starts: the first partial day, or the period's start when an
-- account slicer is set.
CREATE OR REPLACE MACRO event_rows_start(start_at, end_at, as_of, strategies, products, buckets) AS
    CASE WHEN len(strategies) + len(products) + len(buckets) = 0
        THEN partial_day_start(start_at, end_at, as_of) ELSE start_at END;

-- sum_counts(x): a sum of per-day counts, as BIGINT like the count(*) it adds up (sum gives
-- HUGEINT).
CREATE OR REPLACE MACRO sum_counts(x) AS CAST(sum(x) AS BIGINT);

-- grain_key(grain, name, value): value when the list grain names the key, else NULL (a query
-- whose caller asks for a coarser grain groups by the constant instead).
CREATE OR REPLACE MACRO grain_key(grain, name, value) AS
    CASE WHEN list_contains(CAST(grain AS VARCHAR[]), name) THEN value END;
