-- Of the agents a selection names ($named), those whose team is one of $scope (the user's
-- teams): an agent of another team in a link is dropped before any metric reads it.
SELECT agent_id
FROM agents
WHERE list_contains(CAST($named AS VARCHAR[]), agent_id)
  AND list_contains(CAST($scope AS VARCHAR[]), team_id)
ORDER BY agent_id
