-- The agents a well-being or coaching view may list, with name and team.
SELECT agent_id, agent_name, team_id, team_name, role
FROM agents
WHERE in_slice($teams, team_id) AND in_slice($agents, agent_id)
ORDER BY team_id, agent_id
