-- Denominators of the conduct rates, per week × acting agent: attempts, automated messages and
-- outbound calls (an automated message with no agent lands on agent NULL, team NULL).
SELECT
    CAST(date_trunc('week', contact_at) AS DATE) AS week_start,
    agent_id,
    agent_team_id AS team_id,
    count(*) FILTER (WHERE is_attempt) AS attempts,
    count(*) FILTER (WHERE automated) AS automated_messages,
    count(*) FILTER (WHERE kind = 'call' AND is_attempt) AS outbound_calls
FROM contacts_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
GROUP BY ALL
ORDER BY week_start, agent_id
