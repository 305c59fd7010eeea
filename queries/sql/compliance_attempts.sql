-- Denominators of the conduct rates, per week × acting agent: attempts, automated messages and
-- outbound calls (an automated message with no agent lands on agent NULL, team NULL).
SELECT
    CAST(date_trunc('week', contact_at) AS DATE) AS week_start,
    agent_id,
    agent_team_id AS team_id,
    count(*) FILTER (WHERE is_attempt) AS attempts,
    count(*) FILTER (WHERE automated) AS automated_messages,
    count(*) FILTER (WHERE kind = 'call' AND is_attempt) AS outbound_calls
FROM contact_facts
WHERE contact_at >= $start AND contact_at < $end AND contact_at < $as_of
  AND in_slice($teams, agent_team_id)
  AND in_slice($agents, agent_id)
  AND in_slice($strategies, strategy)
  AND in_slice($products, product)
  AND in_slice($buckets, bucket)
GROUP BY ALL
ORDER BY week_start, agent_id
