-- Every team a user can select: the agents' teams and the portfolio teams of accounts,
-- with the team's name where the agents table carries one.
SELECT team_id, coalesce(max(team_name), team_id) AS team_name
FROM (
    SELECT team_id, team_name FROM agents
    UNION ALL
    SELECT portfolio_team_id, NULL FROM account_dim
)
GROUP BY team_id
ORDER BY team_id
