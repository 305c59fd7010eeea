-- Coaching sessions held in the period (by session_date, before as_of) for the selected teams
-- and agents, with the agent's name and team.
SELECT s.session_id, s.agent_id, ag.agent_name, ag.team_id, s.trainer_id, s.session_date, s.topic
FROM coaching_sessions s
JOIN agents ag USING (agent_id)
WHERE s.session_date BETWEEN $start_date AND $end_date
  AND CAST(s.session_date AS TIMESTAMPTZ) < $as_of
  AND in_slice($teams, ag.team_id)
  AND in_slice($agents, s.agent_id)
ORDER BY s.session_date, s.session_id
