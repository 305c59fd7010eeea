-- Contacts whose acting agent's team is no longer the one they were built with: a load moved
-- their agent to another team (re-labelling the agent's past weeks) or filled in a team.
SELECT count(*) AS relabelled
FROM contact_rows c
JOIN agents a USING (agent_id)
WHERE a._load_id = $load_id AND c.agent_team_id IS DISTINCT FROM a.team_id
