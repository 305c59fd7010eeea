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
SELECT c.*, f.* EXCLUDE (call_id, started_at)
FROM contacts_in(start_at, end_at, as_of, teams, agents, strategies, products, buckets) c
JOIN call_facts f ON f.call_id = c.contact_id
WHERE c.kind = 'call'
  AND f.started_at >= start_at AND f.started_at < end_at AND f.started_at < as_of;

-- hostile_call(...): a call is hostile when abusive = true or sentiment <= the threshold, each
-- column deciding only where the row's file carried it (call_facts' *_known flags).
CREATE OR REPLACE MACRO hostile_call(abusive_known, abusive, sentiment_known, sentiment, threshold) AS
    coalesce(abusive_known AND abusive, false)
    OR coalesce(sentiment_known AND sentiment <= threshold, false);
