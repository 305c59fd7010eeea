-- Per agent × site day: talk time and RPC calls, the call side of the well-being figures that
-- need no threshold (the hostile ones read rpc_calls at query time, so the sentiment cut stays
-- a setting).

-- call_day_figures(start_at, end_at, as_of): the figures, from the calls of [start_at, end_at)
-- before as_of.
CREATE OR REPLACE MACRO call_day_figures(start_at, end_at, as_of) AS TABLE
SELECT
    agent_id,
    site_date,
    sum(duration_s) AS talk_seconds,
    count(*) FILTER (is_rpc) AS rpc_calls,
    count(*) FILTER (is_rpc AND (abusive_known OR sentiment_known)) AS rpc_calls_judged
FROM call_facts_in(start_at, end_at, as_of, [], [], [], [], [])
GROUP BY ALL;

CREATE OR REPLACE MACRO agent_call_days_rebuilt() AS TABLE
SELECT * FROM call_day_figures('-infinity'::TIMESTAMPTZ, 'infinity'::TIMESTAMPTZ, 'infinity'::TIMESTAMPTZ)
WHERE rebuilt_day(site_date, agent_id)
ORDER BY site_date, agent_id;

CREATE OR REPLACE TABLE agent_call_days AS FROM agent_call_days_rebuilt();

-- call_days_in(start_at, end_at, as_of): the same rows for a period, from agent_call_days for
-- its whole days before as_of and from the calls for the rest.
CREATE OR REPLACE MACRO call_days_in(start_at, end_at, as_of) AS TABLE
SELECT *
FROM agent_call_days
WHERE site_date >= CAST(start_at AS DATE) AND site_date < first_partial_day(end_at, as_of)
UNION ALL
FROM call_day_figures(partial_day_start(start_at, end_at, as_of), end_at, as_of);
