-- Every agent a user can select, with name and team (to narrow the list to selected teams).
SELECT agent_id, agent_name, team_id
FROM agents
ORDER BY team_id, agent_id
