-- The judged RPC calls (right-party calls whose file carried abusive or sentiment), one row per
-- call in time order, with what makes a call hostile. Hostile streaks run over these calls per
-- agent and site day; rpc_seq is the call's position among them in (started_at, call_id) order,
-- so that at query time a streak is a run of consecutive rpc_seq among the hostile calls alone
-- (the sentiment cut applied then, as a setting), with no window over every call.
CREATE OR REPLACE MACRO rpc_calls_rebuilt() AS TABLE
SELECT
    agent_id,
    site_date,
    started_at,
    call_id,
    row_number() OVER (PARTITION BY agent_id, site_date ORDER BY started_at, call_id) AS rpc_seq,
    abusive_known,
    abusive,
    sentiment_known,
    sentiment
FROM call_facts
WHERE is_rpc AND (abusive_known OR sentiment_known) AND rebuilt_day(site_date, agent_id)
ORDER BY started_at, call_id;

CREATE OR REPLACE TABLE rpc_calls AS FROM rpc_calls_rebuilt();
