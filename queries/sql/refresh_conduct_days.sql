-- Per site day × acting agent's team × agent × channel: what the conduct rules' counts need,
-- so that a view over many weeks (rule cards, coaching) reads day rows instead of every
-- contact. No preset is baked in: the contact window's hours, the caps and the quiet period are
-- applied when read, to the distribution of what each rule compares
-- (compliance_contact_rules.sql, compliance_call_rules.sql, compliance_call_checks.sql):
-- one row per value of a `measure` with the number of `contacts` holding it:
--   local_hour: of attempts and automated messages (the window applies to calls and visits,
--     and to messages on the preset's window channels);
--   cap_rank, calls_7d, rpc_days_ago: of outbound calls;
--   third_party, unverified_disclosure, unrecorded (value NULL): the rules no preset changes.

-- conduct_day_values(the arguments of contacts_in): those rows, from the event rows (each
-- measure its own scan: a pass over call_facts' few columns costs less than a shared one).
CREATE OR REPLACE MACRO conduct_day_values(
    start_at, end_at, as_of, teams, agents, strategies, products, buckets
) AS TABLE
SELECT site_date, agent_team_id, agent_id, channel, 'local_hour' AS measure,
    local_hour AS value, count(*) AS contacts
FROM contacts_in(start_at, end_at, as_of, teams, agents, strategies, products, buckets)
WHERE is_attempt OR automated
GROUP BY ALL
UNION ALL
SELECT site_date, agent_team_id, agent_id, channel, 'third_party', NULL, count(*)
FROM contacts_in(start_at, end_at, as_of, teams, agents, strategies, products, buckets)
WHERE is_attempt AND third_party_contact(kind, outcome)
GROUP BY ALL
UNION ALL
SELECT site_date, agent_team_id, agent_id, 'phone', 'cap_rank', cap_rank, count(*)
FROM call_facts_in(start_at, end_at, as_of, teams, agents, strategies, products, buckets)
WHERE is_outbound AND cap_rank IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT site_date, agent_team_id, agent_id, 'phone', 'calls_7d', calls_7d, count(*)
FROM call_facts_in(start_at, end_at, as_of, teams, agents, strategies, products, buckets)
WHERE is_outbound AND calls_7d IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT site_date, agent_team_id, agent_id, 'phone', 'rpc_days_ago', rpc_days_ago, count(*)
FROM call_facts_in(start_at, end_at, as_of, teams, agents, strategies, products, buckets)
WHERE is_outbound AND rpc_days_ago IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT site_date, agent_team_id, agent_id, 'phone', 'unverified_disclosure', NULL, count(*)
FROM call_facts_in(start_at, end_at, as_of, teams, agents, strategies, products, buckets)
WHERE is_rpc AND identity_verified_known AND identity_verified = false
GROUP BY ALL
UNION ALL
SELECT site_date, agent_team_id, agent_id, 'phone', 'unrecorded', NULL, count(*)
FROM call_facts_in(start_at, end_at, as_of, teams, agents, strategies, products, buckets)
WHERE is_connected AND recording_known AND recording_id IS NULL
GROUP BY ALL;

CREATE OR REPLACE MACRO conduct_days_rebuilt() AS TABLE
SELECT * FROM conduct_day_values(
    '-infinity'::TIMESTAMPTZ, 'infinity'::TIMESTAMPTZ, 'infinity'::TIMESTAMPTZ, [], [], [], [], []
)
WHERE rebuilt_day(site_date, agent_id)
ORDER BY site_date, agent_id, channel, measure, value;

CREATE OR REPLACE TABLE conduct_days AS FROM conduct_days_rebuilt();

-- conduct_days_in(the arguments of contacts_in): the same rows for a period, from conduct_days
-- for its whole days before as_of without account slicers, from the event rows for the rest.
CREATE OR REPLACE MACRO conduct_days_in(
    start_at, end_at, as_of, teams, agents, strategies, products, buckets
) AS TABLE
SELECT *
FROM conduct_days
WHERE day_row_in(site_date, agent_team_id, agent_id, start_at, end_at, as_of,
                 teams, agents, strategies, products, buckets)
UNION ALL
FROM conduct_day_values(
    event_rows_start(start_at, end_at, as_of, strategies, products, buckets),
    end_at, as_of, teams, agents, strategies, products, buckets
);
