-- One agent's calls of one site day in (started_at, call_id) order, with what the hostile
-- streak reads: RPC or not, judged (file carried abusive or sentiment), hostile, and the running
-- streak length (0 after a non-hostile RPC call; skipped calls carry the current run).
SELECT
    call_id,
    started_at,
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
FROM call_facts
WHERE agent_id = $agent_id AND site_date = $day AND started_at < $as_of
ORDER BY started_at, call_id
