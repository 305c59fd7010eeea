-- The notes of the period's calls and visits named in $record_ids, as compliance records show
-- them (masked by queries/masking.py before they leave queries/). Held to the slicers' teams and
-- agents like the records themselves, so an id of a team outside the user's scope has no note.
WITH named AS (
    SELECT DISTINCT unnest(CAST($record_ids AS VARCHAR[])) AS record_id
)
SELECT 'call' AS record_kind, c.call_id AS record_id, c.notes
FROM calls c
SEMI JOIN named ON named.record_id = c.call_id
LEFT JOIN agents ag ON ag.agent_id = c.agent_id
WHERE c.started_at >= $start AND c.started_at < $end AND c.notes IS NOT NULL
  AND in_slice($teams, ag.team_id) AND in_slice($agents, c.agent_id)
UNION ALL
SELECT 'visit', v.visit_id, v.notes
FROM visits v
SEMI JOIN named ON named.record_id = v.visit_id
LEFT JOIN agents ag ON ag.agent_id = v.agent_id
WHERE v.visited_at >= $start AND v.visited_at < $end AND v.notes IS NOT NULL
  AND in_slice($teams, ag.team_id) AND in_slice($agents, v.agent_id)
