-- RPC rate by the account-local hour and ISO weekday (1 = Monday) of outbound calls and visits.
SELECT
    isodow(local_ts) AS weekday,
    hour(local_ts) AS hour,
    count(*) AS voice_attempts,
    count(*) FILTER (is_rpc) AS voice_rpc
FROM contacts
WHERE is_attempt AND kind IN ('call', 'visit')
  AND contact_at >= $start AND contact_at < $end AND contact_at < $as_of
  AND (len($teams) = 0 OR list_contains($teams, agent_team_id))
  AND (len($agents) = 0 OR list_contains($agents, agent_id))
  AND (len($strategies) = 0 OR list_contains($strategies, strategy))
  AND (len($products) = 0 OR list_contains($products, product))
  AND (len($buckets) = 0 OR list_contains($buckets, bucket))
GROUP BY ALL
ORDER BY weekday, hour
