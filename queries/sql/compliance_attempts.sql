-- Denominators of the conduct rates, per week × acting agent: attempts, automated messages and
-- outbound calls (an automated message with no agent lands on agent NULL, team NULL).
SELECT
    CAST(date_trunc('week', site_date) AS DATE) AS week_start,
    agent_id,
    agent_team_id AS team_id,
    sum_counts(attempts) AS attempts,
    sum_counts(automated_messages) AS automated_messages,
    sum_counts(if(channel = 'phone', attempts, 0)) AS outbound_calls
FROM contact_days_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
GROUP BY ALL
ORDER BY week_start, agent_id
