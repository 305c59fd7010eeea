-- Per agent × site day of the coaching window: the denominators of the conduct rates
-- (attempts, automated messages, outbound calls) and complaints naming the agent.
WITH ag AS (
    SELECT agent_id FROM agents WHERE in_slice($teams, team_id)
),
contact_days AS (
    SELECT
        agent_id, site_date AS day,
        sum_counts(attempts) AS attempts,
        sum_counts(automated_messages) AS automated_messages,
        sum_counts(if(channel = 'phone', attempts, 0)) AS outbound_calls
    FROM contact_days_in($start, $end, $as_of, [], [], [], [], [])
    WHERE agent_id IN (SELECT agent_id FROM ag)
    GROUP BY ALL
),
complaint_days AS (
    SELECT agent_id, CAST(received_at AS DATE) AS day, count(*) AS complaints
    FROM complaints
    WHERE received_at >= $start AND received_at < $end AND received_at < $as_of
      AND agent_id IN (SELECT agent_id FROM ag)
    GROUP BY ALL
)
SELECT
    agent_id,
    day,
    coalesce(c.attempts, 0) AS attempts,
    coalesce(c.automated_messages, 0) AS automated_messages,
    coalesce(c.outbound_calls, 0) AS outbound_calls,
    coalesce(p.complaints, 0) AS complaints
FROM contact_days c
FULL JOIN complaint_days p USING (agent_id, day)
ORDER BY agent_id, day
