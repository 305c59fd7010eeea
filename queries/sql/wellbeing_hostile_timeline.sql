-- One agent's calls of one site day in (started_at, call_id) order, with what the hostile
-- streak reads: RPC or not, judged (file carried abusive or sentiment), hostile, and the running
-- streak length (0 after a non-hostile RPC call; skipped calls carry the current run).
-- $agents is this agent (wellbeing.hostile_timeline), so the user's scope applies: an agent
-- outside it has no calls here. Account slicers do not apply (the streak is the whole day).
SELECT
    contact_id AS call_id,
    contact_at AS started_at,
    local_ts AS local_time,
    account_id,
    direction,
    outcome,
    duration_s,
    is_rpc,
    abusive_known OR sentiment_known AS judged,
    abusive,
    sentiment,
    is_rpc AND (abusive_known OR sentiment_known)
        AND hostile_call(abusive_known, abusive, sentiment_known, sentiment, $hostile_sentiment)
        AS hostile
FROM calls_in(CAST($day AS TIMESTAMPTZ), CAST($day + 1 AS TIMESTAMPTZ), $as_of, $teams, $agents,
              [], [], [])
WHERE agent_id = $agent_id
ORDER BY started_at, call_id
