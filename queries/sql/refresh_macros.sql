-- SQL macros shared by metric files, so that a rule is written once.
-- in_slice(selection, value): true when the sidebar selection is empty ("all") or holds value.
CREATE OR REPLACE MACRO in_slice(selection, value) AS
    (len(selection) = 0 OR list_contains(selection, value));

-- in_slices(the five sidebar selections, the row's team, agent, strategy, product, bucket):
-- the row passes every slicer. Called as
--   in_slices($teams, $agents, $strategies, $products, $buckets,
--             team_id, agent_id, strategy, product, bucket)
CREATE OR REPLACE MACRO in_slices(
    teams, agents, strategies, products, buckets, team, agent, strategy, product, bucket
) AS
    in_slice(teams, team) AND in_slice(agents, agent) AND in_slice(strategies, strategy)
    AND in_slice(products, product) AND in_slice(buckets, bucket);

-- contacts_in(start_at, end_at, as_of, slicers): the contacts of [start_at, end_at) before as_of
-- that pass the slicers (team: the acting agent's), as a table:
--   FROM contacts_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
-- Pass empty lists ([]) where a figure ignores the slicers. The time bounds are constants once
-- bound, so zone maps on the time-ordered contact_rows skip the rest of the year.
CREATE OR REPLACE MACRO contacts_in(
    start_at, end_at, as_of, teams, agents, strategies, products, buckets
) AS TABLE
SELECT *
FROM contacts
WHERE contact_at >= start_at AND contact_at < end_at AND contact_at < as_of
  AND in_slices(teams, agents, strategies, products, buckets,
                agent_team_id, agent_id, strategy, product, bucket);

-- calls_in(same arguments): contacts_in's calls with their call_facts columns (rule windows,
-- duration, hostility, optional-column flags); contact_id is the call_id, contact_at its
-- started_at. Both sides are bounded by time, so each scan skips out-of-period blocks.
CREATE OR REPLACE MACRO calls_in(
    start_at, end_at, as_of, teams, agents, strategies, products, buckets
) AS TABLE
SELECT c.*, f.* EXCLUDE (
    call_id, started_at, agent_id, agent_team_id, strategy, product, bucket, site_date,
    is_outbound, is_connected, is_rpc
)
FROM contacts_in(start_at, end_at, as_of, teams, agents, strategies, products, buckets) c
JOIN call_facts f ON f.call_id = c.contact_id
WHERE c.kind = 'call'
  AND f.started_at >= start_at AND f.started_at < end_at AND f.started_at < as_of;

-- hostile_call(...): a call is hostile when abusive = true or sentiment <= the threshold, each
-- column deciding only where the row's file carried it (call_facts' *_known flags).
CREATE OR REPLACE MACRO hostile_call(abusive_known, abusive, sentiment_known, sentiment, threshold) AS
    coalesce(abusive_known AND abusive, false)
    OR coalesce(sentiment_known AND sentiment <= threshold, false);

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
