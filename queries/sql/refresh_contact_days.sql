-- The funnel's contact counts per site day × acting agent's team × agent × channel: what the
-- weekly figures, the conduct rates' denominators and coaching's activity read, so that a view
-- over many weeks sums tens of thousands of day rows instead of scanning millions of contacts.
-- Counts only (no threshold or setting is baked in). `kind` follows from the channel (phone:
-- call, visit: visit, the rest: message).

-- contact_day_counts(the arguments of contacts_in): the counts, from the contact rows.
CREATE OR REPLACE MACRO contact_day_counts(
    start_at, end_at, as_of, teams, agents, strategies, products, buckets
) AS TABLE
SELECT
    site_date,
    agent_team_id,
    agent_id,
    channel,
    count(*) FILTER (is_attempt) AS attempts,
    count(*) FILTER (kind = 'message' AND automated) AS automated_messages,
    count(*) FILTER (is_attempt OR automated) AS sends,
    count(*) FILTER (is_attempt AND is_rpc) AS rpc,
    count(*) FILTER (is_attempt AND kind IN ('call', 'visit')) AS voice_attempts,
    count(*) FILTER (is_attempt AND is_rpc AND kind IN ('call', 'visit')) AS voice_rpc,
    count(*) FILTER (is_rpc AND kind IN ('call', 'visit')) AS ptp_base
FROM contacts_in(start_at, end_at, as_of, teams, agents, strategies, products, buckets)
GROUP BY ALL;

CREATE OR REPLACE MACRO contact_days_rebuilt() AS TABLE
SELECT * FROM contact_day_counts(
    '-infinity'::TIMESTAMPTZ, 'infinity'::TIMESTAMPTZ, 'infinity'::TIMESTAMPTZ, [], [], [], [], []
)
WHERE rebuilt_day(site_date, agent_id)
ORDER BY site_date, agent_id, channel;

CREATE OR REPLACE TABLE contact_days AS FROM contact_days_rebuilt();

-- contact_days_in(the arguments of contacts_in): the same rows for a period, read from
-- contact_days for its whole days before as_of, counted from the contacts for the rest. The
-- account slicers (strategy, product, bucket) are not in contact_days: with any of them set,
-- every day is counted from the contacts.
CREATE OR REPLACE MACRO contact_days_in(
    start_at, end_at, as_of, teams, agents, strategies, products, buckets
) AS TABLE
SELECT *
FROM contact_days
WHERE day_row_in(site_date, agent_team_id, agent_id, start_at, end_at, as_of,
                 teams, agents, strategies, products, buckets)
UNION ALL
FROM contact_day_counts(
    event_rows_start(start_at, end_at, as_of, strategies, products, buckets),
    end_at, as_of, teams, agents, strategies, products, buckets
);
