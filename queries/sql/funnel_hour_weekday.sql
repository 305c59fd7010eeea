-- RPC rate by the account-local hour and ISO weekday (1 = Monday) of outbound calls and visits.
SELECT
    isodow(local_ts) AS weekday,
    hour(local_ts) AS hour,
    count(*) AS voice_attempts,
    count(*) FILTER (is_rpc) AS voice_rpc
FROM contacts_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
WHERE is_attempt AND kind IN ('call', 'visit')
GROUP BY ALL
ORDER BY weekday, hour
