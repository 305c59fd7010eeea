-- Table macros shared by metric files (they read derived tables, so they are made after
-- them); the scalar rules they call are in macros/.
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
