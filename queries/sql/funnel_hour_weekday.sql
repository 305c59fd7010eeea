-- RPC rate by the account-local hour and ISO weekday (1 = Monday) of outbound calls and visits.
SELECT
    isodow(local_ts) AS weekday,
    hour(local_ts) AS hour,
    count(*) AS voice_attempts,
    count(*) FILTER (is_rpc) AS voice_rpc
FROM contacts
WHERE is_attempt AND kind IN ('call', 'visit')
  AND contact_at >= $start AND contact_at < $end AND contact_at < $as_of
  AND in_slice($teams, agent_team_id)
  AND in_slice($agents, agent_id)
  AND in_slice($strategies, strategy)
  AND in_slice($products, product)
  AND in_slice($buckets, bucket)
GROUP BY ALL
ORDER BY weekday, hour
